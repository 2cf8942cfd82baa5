/**
 * The intent model's public types. A model is plain JSON, so the same file can be loaded by the browser and
 * the receiver (`parseModel`), and a profile is plain JSON, so the browser can persist it and the server can
 * rebuild it from the same events.
 */
import type { FEATURE_NAMES } from './feature-names.js';

/**
 * What the model knows about one visitor: counts per UTC day, kept for {@link HORIZON_DAYS}. Plain JSON with
 * short keys that never change (it is persisted in the browser and rebuilt on the server), and the same
 * whatever order the events arrived in.
 *
 * Treat it as opaque: build it with `createProfile` and `applyEvent`, read it with `scoreProfile` and
 * `getFeatures`.
 */
export interface Profile {
  /** Profile format version. */
  v: 1;
  /**
   * Day buckets keyed by UTC day number (whole days since 1970-01-01). Inside a bucket: `p:<kind>` page views,
   * `t:<kind>` attentive seconds, `r` qualified reads, `q` attentive seconds when those reads qualified, `v` visits,
   * `w` return visits within 7 days, `c:<name>` conversions; per topic, `tv:<topic>` page views, `tr:<topic>`
   * qualified reads and `tq:<topic>` attentive seconds when those reads qualified.
   */
  d: Record<string, Record<string, number>>;
}

/** A column of the calibrate CSV and an input of a `logistic` model. See `FEATURE_NAMES`. */
export type FeatureName = (typeof FEATURE_NAMES)[number];

/**
 * Scores where the levels change. Going up needs `warm` / `hot`; coming down needs to fall below
 * `warmExit` / `hotExit`, so a score that wobbles around a threshold does not flap between levels.
 */
export interface Levels {
  /** Score from which a cold visitor becomes warm. @default 50 */
  warm: number;
  /** Score from which a visitor becomes hot. @default 80 */
  hot: number;
  /** A warm (or hot) visitor turns cold only below this score. @default 40 */
  warmExit: number;
  /** A hot visitor drops to warm only below this score. @default 70 */
  hotExit: number;
  /**
   * Kinds of positive signal (reads, pricing, docs, return visits, ... but not plain page views) a visitor
   * needs before turning warm or hot. A conversion (a demo request) is enough on its own. Calibrated models
   * use 0: their thresholds were chosen on the score alone.
   * @default 2
   */
  minKinds: number;
}

/** What both kinds of model share. */
export interface ModelBase {
  /** Travels with every result as `Intent.model`, so a score can be traced to the model that made it. */
  version: string;
  /** Signals lose half their weight every this many days: `2^(-age / halfLifeDays)`. @default 30 */
  halfLifeDays: number;
  levels: Levels;
  /**
   * The `track` event names that count as conversions, each with the reason shown for it.
   * @default { demo_request: 'requested a demo', contact_request: 'asked to be contacted', ... }
   */
  conversions: Record<string, string>;
  /**
   * Reason templates by signal, named like the features (`article_reads`, `pricing_views`, `return_visits`),
   * plus `visits_this_week`, used for `return_visits` when the visitor came more than once in the last 7 days.
   * Placeholders: `{n}` the count (not decayed), `{x}` "once" / "twice" / "3 times", `{m}` attentive minutes on
   * pages of that kind, `{w}` the visits of the last 7 days as an ordinal ("3rd"), `{t}` a topic, `{one|many}` a
   * word for one or for many. A signal without a template is scored but never given as a reason.
   *
   * `topic_reads` names the strongest topic that has reads, with that topic's reads and minutes: it replaces the
   * `article_reads` reason when every read was on that topic, and follows it otherwise.
   * @default { article_reads: 'read {n} article{|s} ({m} min)', topic_reads: 'read {n} article{|s} on {t} ({m} min)', ... }
   */
  reasons: Record<string, string>;
}

/**
 * The default kind: points per signal, capped per day, decayed, summed and capped at 100.
 *
 * @example
 * { kind: 'points', points: { pricing_views: [15, 30], careers_views: [-10, 50] }, ... }
 */
export interface PointsModel extends ModelBase {
  kind: 'points';
  /**
   * `[points per occurrence, most points from this signal in one day]` by signal, named like the features:
   * `page_views` (any page), `article_reads` (qualified reads), `return_visits` (back within 7 days),
   * `conversions` (any of `conversions`), `<kind>_views` for a view of a page kind (`pricing_views`,
   * `case_study_views`, or a site's own kind such as `webinar_views`), and any other feature counted per day.
   * The daily cap is a size: `[-10, 50]` takes at most 50 points a day.
   */
  points: Record<string, readonly [number, number]>;
}

/**
 * A fitted model, written by `inkling calibrate`:
 * `score = 100 / (1 + e^-(intercept + Σ weight × ln(1 + feature)))`, features as `getFeatures` gives them.
 * A feature missing from `weights` has no effect.
 */
export interface LogisticModel extends ModelBase {
  kind: 'logistic';
  intercept: number;
  /** Weight of `ln(1 + value)` for each feature used. */
  weights: Partial<Record<FeatureName, number>>;
}

/** A model file, as accepted by `parseModel`. */
export type Model = PointsModel | LogisticModel;

export type { Intent } from '../wire.js';
