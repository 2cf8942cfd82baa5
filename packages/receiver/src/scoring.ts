/**
 * The one door to core's intent model. The receiver scores with exactly the code the browser runs, but from the
 * stored raw signals: a client-sent `intent` is never folded in, and every score is a pure function of a lead's
 * stored, non-bot events in corrected-time order.
 */
import * as core from '@inkling/core';
import type { AnyEvent, IntentLevel } from '@inkling/core';
import { InklingError } from './errors.js';
import type { StoredEvent } from './store/types.js';

/** A parsed intent model (core's `Model`): points or a calibrated logistic model. */
export type IntentModel = { version: string } & object;

/** A judgement on one lead, as core's `scoreProfile` returns it. */
export interface Intent {
  score: number;
  level: IntentLevel;
  previous: IntentLevel;
  reasons: string[];
  model: string;
}

type Profile = object;

interface ModelApi {
  createProfile(): Profile;
  applyEvent(profile: Profile, event: AnyEvent, model: IntentModel): void;
  scoreProfile(profile: Profile, model: IntentModel, nowMs: number, previousLevel?: IntentLevel): Intent;
  getFeatures(profile: Profile, model: IntentModel, nowMs: number): Record<string, number>;
  parseModel(json: unknown): IntentModel;
  DEFAULT_MODEL: IntentModel;
  FEATURE_NAMES: readonly string[];
}

function getApi(): ModelApi {
  const api = core as unknown as Partial<ModelApi>;
  if (!api.scoreProfile || !api.applyEvent || !api.createProfile || !api.DEFAULT_MODEL) {
    throw new InklingError('model_unavailable', 500, '@inkling/core: this version does not export the intent model (createProfile, applyEvent, scoreProfile)');
  }
  return api as ModelApi;
}

/** Core's default points model. */
export function getDefaultModel(): IntentModel {
  return getApi().DEFAULT_MODEL;
}

/** Parses a model file's JSON (a calibrated model from `inkling calibrate`); throws naming the bad field. */
export function parseIntentModel(json: unknown): IntentModel {
  return getApi().parseModel(json);
}

/** The calibrate CSV's feature columns, in order. */
export function getFeatureNames(): readonly string[] {
  return getApi().FEATURE_NAMES;
}

function buildProfile(api: ModelApi, events: readonly StoredEvent[], model: IntentModel): Profile {
  const profile = api.createProfile();
  for (const stored of events) {
    // What a browser claims about itself is kept on record but never scored.
    if (stored.bot || stored.event.type === 'intent') continue;
    api.applyEvent(profile, { ...stored.event, ts: new Date(stored.ts).toISOString() } as AnyEvent, model);
  }
  return profile;
}

/** Scores a lead from its stored events (oldest first), with hysteresis from `previousLevel`. */
export function scoreEvents(events: readonly StoredEvent[], model: IntentModel, nowMs: number, previousLevel: IntentLevel): Intent {
  const api = getApi();
  return api.scoreProfile(buildProfile(api, events, model), model, nowMs, previousLevel);
}

/** The model's features of a lead, for the calibrate CSV. */
export function getEventFeatures(events: readonly StoredEvent[], model: IntentModel, nowMs: number): Record<string, number> {
  const api = getApi();
  return api.getFeatures(buildProfile(api, events, model), model, nowMs);
}
