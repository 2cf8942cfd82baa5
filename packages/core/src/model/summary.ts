import { DAY_MS } from '../time.js';
import { addFeatureRatios, foldedSignal, isBounce } from './fold-features.js';
import { isLogistic } from './logistic.js';
import { HORIZON_DAYS } from './horizon.js';
import type { Model, Profile } from './types.js';

/**
 * One walk over a profile: decayed totals by feature name (minutes still in seconds) and per topic, raw totals
 * (the same, plus `c:<name>` per conversion, for the numbers in reasons), decayed points by signal capped per day
 * (points models only, in the model's order), and visits in the last 7 days, today included.
 */
export type Summary = [decayed: Record<string, number>, totals: Record<string, number>, points: Record<string, number>, week: number];

// Bucket keys without a prefix, by the feature they count.
const SCALARS: Record<string, string> = {
  r: 'article_reads',
  v: 'visits',
  w: 'return_visits',
};

/**
 * Sums the buckets within {@link HORIZON_DAYS} of `nowMs`, each weighted `2^(-age / halfLifeDays)` with its
 * age in whole UTC days (so a score changes once a day, not every minute; a bucket in the future counts as
 * today). Buckets are visited in day order and counts are integers, so every sum is made the same way on
 * every machine, whatever order the events arrived in.
 */
export function summarise(profile: Profile, model: Model, nowMs: number): Summary {
  const today = Math.floor(nowMs / DAY_MS);
  const decayed: Record<string, number> = {};
  const totals: Record<string, number> = {};
  const points: Record<string, number> = {};
  let week = 0;
  for (const key in profile.d) {
    const age = Math.max(0, today - +key);
    if (age >= HORIZON_DAYS) continue;
    const weight = 2 ** (-age / model.halfLifeDays);
    const bucket = profile.d[key]!;
    const signals: Record<string, number> = { days_active: 1 };
    const add = (k: string, n: number): void => {
      if (k) signals[k] = (signals[k] ?? 0) + n;
    };
    for (const k in bucket) {
      const n = bucket[k]!;
      const [prefix, name = ''] = k.split(':');
      const kind = name.replace(/-/g, '_');
      if (prefix == 'c') add('conversions', n);
      if (isBounce(prefix!, n)) add('bounces', 1);
      // A conversion (`c:<name>`) and a topic's numbers (`tv:`, `tr:`, `tq:<topic>`) are summed under their own key;
      // what only the calibrate features read is named in fold-features.ts.
      add(
        prefix == 'p'
          ? kind + '_views'
          : prefix == 't'
            ? kind + '_minutes'
            : (foldedSignal(prefix!, kind, k) ?? (prefix == 'c' || prefix![1] ? k : (SCALARS[k] ?? k))),
        n,
      );
      add(prefix == 'p' ? 'page_views' : prefix == 't' ? 'page_minutes' : '', n);
    }
    // A read can be scored before its page is left: its own attentive time is the floor of the article time.
    signals['article_minutes'] = Math.max(signals['article_minutes'] ?? 0, bucket['q'] ?? 0);
    if (age < 7) week += signals['visits'] ?? 0;
    for (const k in signals) {
      totals[k] = (totals[k] ?? 0) + signals[k]!;
      decayed[k] = (decayed[k] ?? 0) + signals[k]! * weight;
    }
    if (!isLogistic(model)) {
      for (const k in model.points) {
        const [each, cap] = model.points[k]!;
        points[k] = (points[k] ?? 0) + weight * Math.max(-cap, Math.min(cap, each * getFeature(signals, k)));
      }
    }
  }
  addFeatureRatios(decayed, profile, today);
  return [decayed, totals, points, week];
}

/** The value of feature `name` from totals (a day's, or decayed ones): minutes are kept in seconds until here. */
export function getFeature(decayed: Record<string, number>, name: string): number {
  return (decayed[name] ?? 0) / (name.includes('min') ? 60 : 1);
}
