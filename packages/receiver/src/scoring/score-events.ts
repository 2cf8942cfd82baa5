/**
 * The one door to core's intent model. The receiver scores with exactly the code the browser runs, but from the
 * stored raw signals: a client-sent `intent` is never folded in, and every score is a pure function of a lead's
 * stored, non-bot events in corrected-time order.
 */
import { applyEvent, createProfile, DEFAULT_MODEL, FEATURE_NAMES, getFeatures, parseModel, scoreProfile } from '@inkling/core';
import type { AnyEvent, Intent, IntentLevel, Model, Profile } from '@inkling/core';
import type { StoredEvent } from '../store/types.js';

/** A parsed intent model (core's `Model`): points, or a logistic model calibrated on a site's own outcomes. */
export type IntentModel = Model;

/** Core's default points model. */
export function getDefaultModel(): IntentModel {
  return DEFAULT_MODEL;
}

/** Parses a model file's JSON (a calibrated model from `inkling calibrate`); throws naming the bad field. */
export function parseIntentModel(json: unknown): IntentModel {
  return parseModel(json);
}

/** The calibrate CSV's feature columns, in order. */
export function getFeatureNames(): readonly string[] {
  return FEATURE_NAMES;
}

function buildProfile(events: readonly StoredEvent[], model: IntentModel): Profile {
  const profile = createProfile();
  for (const stored of events) {
    // What a browser claims about itself is kept on record but never scored.
    if (stored.bot || stored.event.type === 'intent') continue;
    applyEvent(profile, { ...stored.event, ts: new Date(stored.ts).toISOString() } as AnyEvent, model);
  }
  return profile;
}

/** Scores a lead from its stored events (oldest first), with hysteresis from `previousLevel`. */
export function scoreEvents(events: readonly StoredEvent[], model: IntentModel, nowMs: number, previousLevel: IntentLevel): Intent {
  return scoreProfile(buildProfile(events, model), model, nowMs, previousLevel);
}

/** The model's features of a lead, for the calibrate CSV. */
export function getEventFeatures(events: readonly StoredEvent[], model: IntentModel, nowMs: number): Record<string, number> {
  return getFeatures(buildProfile(events, model), model, nowMs);
}
