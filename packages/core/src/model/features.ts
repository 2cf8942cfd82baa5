import { getFeature, summarise } from './summary.js';
import { FEATURE_NAMES } from './feature-names.js';
import { rankTopics } from './topics.js';
import type { FeatureName, Model, Profile } from './types.js';

/**
 * The features of `profile` at `nowMs`, named as in {@link FEATURE_NAMES}: one row of the calibrate CSV.
 * `model` supplies the half-life (and, through `applyEvent`, which `track` names are conversions).
 *
 * @example
 * const row = getFeatures(profile, DEFAULT_MODEL, convertedAtMs);
 * // { page_views: 11.4, article_reads: 2.8, pricing_views: 1.9, ... }
 */
export function getFeatures(profile: Profile, model: Model, nowMs: number): Record<FeatureName, number> {
  const decayed = summarise(profile, model, nowMs)[0];
  const features = {} as Record<FeatureName, number>;
  for (const name of FEATURE_NAMES) features[name] = getFeature(decayed, name);
  return features;
}

/**
 * A topic gets a column of the features CSV when at least this many of the exported leads have it: fewer rows
 * cannot give its weight a stable fit, and the CSV stays as narrow as the data supports.
 */
export const MIN_TOPIC_LEADS = 20;

/** Most topic columns in the features CSV, the most common topics kept. */
export const MAX_TOPIC_COLUMNS = 50;

/**
 * A visitor's topic features at `nowMs`: `topic:<name>` for every topic in their profile, valued at its decayed
 * interest (`TopicInterest.score`). Pair it with {@link getTopicColumns}, which picks
 * the topics that have enough data across all leads.
 *
 * @example
 * getTopicFeatures(profile, DEFAULT_MODEL, convertedAtMs);
 * // { 'topic:reconciliation': 26, 'topic:payroll': 9 }
 */
export function getTopicFeatures(profile: Profile, model: Model, nowMs: number): Record<`topic:${string}`, number> {
  const out: Record<`topic:${string}`, number> = {};
  for (const topic of rankTopics(summarise(profile, model, nowMs))) out[`topic:${topic.name}`] = topic.score;
  return out;
}

/**
 * The topic columns of a features CSV, from each lead's topics (`Object.keys(getTopicFeatures(...))`): a column
 * per topic that at least `minLeads` leads have, at most `max`, the most common first (ties by name).
 *
 * @example
 * const columns = getTopicColumns(rows.map((row) => Object.keys(row))); // ['topic:reconciliation', ...]
 */
export function getTopicColumns(leads: Iterable<readonly string[]>, minLeads = MIN_TOPIC_LEADS, max = MAX_TOPIC_COLUMNS): string[] {
  const counts = new Map<string, number>();
  for (const columns of leads) for (const column of new Set(columns)) counts.set(column, (counts.get(column) ?? 0) + 1);
  return [...counts]
    .filter(([, n]) => n >= minLeads)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, max)
    .map(([column]) => column);
}
