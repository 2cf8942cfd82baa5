/**
 * The one door to core's intent model. The receiver scores with exactly the code the browser runs, but from the
 * stored raw signals: a client-sent `intent` is never folded in, and every score is a pure function of a lead's
 * stored, non-bot events (kept as a profile snapshot that new events fold into) and the time of scoring.
 */
import { applyEvent, createProfile, DEFAULT_MODEL, FEATURE_NAMES, getFeatures, parseModel, scoreProfile } from '@inkling/core';
import type { AnyEvent, Intent, IntentLevel, Model, Profile } from '@inkling/core';
import type { StoredEvent } from './store/types.js';

export type { Intent } from '@inkling/core';

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

/**
 * Folds stored events into `profile` (mutating it), in any order: core's fold does not depend on it, so a stored
 * snapshot plus the events stored since equals a fold of them all.
 */
export function foldEvents(profile: Profile, events: readonly StoredEvent[], model: IntentModel): Profile {
  for (const stored of events) {
    // What a browser claims about itself is kept on record but never scored.
    if (stored.bot || stored.event.type === 'intent') continue;
    applyEvent(profile, { ...stored.event, ts: new Date(stored.ts).toISOString() } as AnyEvent, model);
  }
  return profile;
}

const buildProfile = (events: readonly StoredEvent[], model: IntentModel): Profile => foldEvents(createProfile(), events, model);

/** Scores a lead from its stored events (oldest first), with hysteresis from `previousLevel`. */
export function scoreEvents(events: readonly StoredEvent[], model: IntentModel, nowMs: number, previousLevel: IntentLevel): Intent {
  return scoreProfile(buildProfile(events, model), model, nowMs, previousLevel);
}

/** Scores a lead from its profile at `nowMs` (decay is applied here, from the day buckets), with hysteresis. */
export function scoreLeadProfile(profile: Profile, model: IntentModel, nowMs: number, previousLevel: IntentLevel): Intent {
  return scoreProfile(profile, model, nowMs, previousLevel);
}

/**
 * The key a snapshot is built with: the model's version and a hash of the whole model, so any edit (a new
 * conversion, a site's own page kind) rebuilds the snapshots, even one that forgot to change the version.
 */
export function getModelKey(model: IntentModel): string {
  // FNV-1a, 32 bits: a change detector, not a security measure; no crypto module needed on edge runtimes.
  let hash = 0x811c9dc5;
  const text = JSON.stringify(model);
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return `${model.version}#${hash.toString(16).padStart(8, '0')}`;
}

/** The model's features of a lead, for the calibrate CSV. */
export function getEventFeatures(events: readonly StoredEvent[], model: IntentModel, nowMs: number): Record<string, number> {
  return getFeatures(buildProfile(events, model), model, nowMs);
}
