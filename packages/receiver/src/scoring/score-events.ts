/**
 * The one door to core's intent model. The receiver scores with exactly the code the browser runs, but from the
 * stored raw signals: a client-sent `intent` is never folded in, and every score is a pure function of a lead's
 * stored, non-bot events (kept as a profile snapshot that new events fold into) and the time of scoring.
 */
import {
  applyEvent,
  createProfile,
  DEFAULT_MODEL,
  explainProfile,
  FEATURE_NAMES,
  getFeatures,
  getTopicFeatures,
  parseModel,
  scoreProfile,
} from '@inkling/core';
import type { AnyEvent, Intent, IntentLevel, Model, Profile, ReasonWeight } from '@inkling/core';
import type { StoredEvent } from '../store/types.js';

export type { ReasonWeight } from '@inkling/core';

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

/** Scores a lead from its stored events (oldest first), with hysteresis from `previousLevel`. */
export function scoreEvents(events: readonly StoredEvent[], model: IntentModel, nowMs: number, previousLevel: IntentLevel): Intent {
  return scoreProfile(buildProfile(events, model), model, nowMs, previousLevel);
}

/** The model's features of a lead, for the calibrate CSV. */
export function getEventFeatures(events: readonly StoredEvent[], model: IntentModel, nowMs: number): Record<string, number> {
  return getFeatures(buildProfile(events, model), model, nowMs);
}

/** A lead's topic features (`topic:<name>`: decayed interest), for the features CSV's topic columns. */
export function getEventTopicFeatures(events: readonly StoredEvent[], model: IntentModel, nowMs: number): Record<string, number> {
  return getTopicFeatures(buildProfile(events, model), model, nowMs);
}

/** One point of a lead's score over time (see {@link getScoreHistory}). */
export interface ScorePoint {
  /** ms. */
  at: number;
  score: number;
  level: IntentLevel;
  /** The change from the point before. */
  delta: number;
  /** The event that moved the score; absent where time alone did (decay at the turn of a day). */
  event?: StoredEvent;
}

const DAY_MS = 24 * 3600 * 1000;
/** Decay steps drawn between two events at most: the model forgets a day older than its horizon anyway. */
const MAX_DECAY_STEPS = 120;

/**
 * A lead's score over time, replayed from its stored events (oldest first) with the model that scores it: a point
 * for every event that moved the score, one at each turn of a day where decay moved it, and one at `nowMs`. The
 * same fold as {@link scoreEvents}, so the last point is the lead's score.
 */
export function getScoreHistory(events: readonly StoredEvent[], model: IntentModel, nowMs: number): ScorePoint[] {
  const profile = createProfile();
  const points: ScorePoint[] = [];
  let level: IntentLevel = 'cold';
  let score = 0;
  let last = -Infinity;
  const step = (at: number, event?: StoredEvent) => {
    const intent = scoreProfile(profile, model, at, level);
    if (intent.score !== score || intent.level !== level || (event && points.length === 0)) {
      points.push({ at, score: intent.score, level: intent.level, delta: intent.score - score, ...(event ? { event } : {}) });
    }
    score = intent.score;
    level = intent.level;
  };
  const decayUntil = (at: number) => {
    if (last === -Infinity) return;
    let day = (Math.floor(last / DAY_MS) + 1) * DAY_MS;
    for (let steps = 0; day <= at && steps < MAX_DECAY_STEPS; day += DAY_MS, steps++) step(day);
  };
  for (const stored of events) {
    if (stored.bot || stored.event.type === 'intent') continue;
    decayUntil(stored.ts);
    applyEvent(profile, { ...stored.event, ts: new Date(stored.ts).toISOString() } as AnyEvent, model);
    step(stored.ts, stored);
    last = stored.ts;
  }
  decayUntil(nowMs);
  const today = scoreProfile(profile, model, nowMs, level);
  points.push({ at: nowMs, score: today.score, level: today.level, delta: today.score - score });
  return points;
}

/** Each reason behind a lead's score at `nowMs` with the weight the model gives its signal, heaviest first. */
export function explainEvents(events: readonly StoredEvent[], model: IntentModel, nowMs: number): ReasonWeight[] {
  return explainProfile(buildProfile(events, model), model, nowMs).reasons;
}
