import { getFeature, summarise } from './summary.js';
import { FEATURE_NAMES } from './feature-names.js';
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
