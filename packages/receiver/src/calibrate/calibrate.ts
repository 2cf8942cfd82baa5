import { DEFAULT_MODEL, getDiminished } from '@inkling/core';
import type { FeatureName, LogisticModel, PointsModel } from '@inkling/core';
import { findUnusableColumns, withoutColumns } from './columns.js';
import type { DroppedColumn } from './columns.js';
import type { Dataset } from './dataset.js';
import { CalibrateError } from './errors.js';
import { getFolds } from './folds.js';
import { fitLogistic } from './logistic.js';
import { getLevelThresholds, roundScore } from './levels.js';
import type { LevelRule, LevelThresholds } from './levels.js';
import { getAveragePrecision, getLevelResult, getMeanSd, getRocAuc } from './metrics.js';
import type { LevelResult } from './metrics.js';

/** How to calibrate. */
export interface CalibrateOptions {
  /** Folds of the cross-validation. @default 5 */
  folds: number;
  /** Seed of the fold assignment. @default 1 */
  seed: number;
  /** Strength of the L2 penalty on the standardised weights. @default 1 */
  l2: number;
  /** The version written into the model and carried by every score it makes. */
  version: string;
  /** The half-life the CSV's features were computed with (`getFeatures`' model). @default 30 */
  halfLifeDays: number;
  /** Warm (or above) is at most this share of visitors, the top of the held-out ranking. @default 0.2 */
  warmShare?: number;
  /**
   * Hot is the largest group at the top whose held-out precision reaches this.
   * @default twice warm's held-out precision, at most halfway from it to 1
   */
  hotPrecision?: number;
}

/** Held-out results of one model. */
export interface HeldOut {
  /** ROC-AUC of each fold. */
  auc: number[];
  /** Average precision of each fold. */
  ap: number[];
  /** Visitors at warm or above, and at hot, over all folds. */
  warm: LevelResult;
  hot: LevelResult;
}

/** One fitted weight, for the report. */
export interface FittedWeight {
  feature: FeatureName;
  /** Change in log-odds of converting per standard deviation of `ln(1 + feature)`: comparable across features. */
  perSd: number;
  /** The weight written to the model (log-odds per unit of `ln(1 + feature)`, on the model's score scale). */
  weight: number;
}

/** Everything `inkling calibrate` found and made. */
export interface Calibration {
  rows: number;
  converted: number;
  features: FeatureName[];
  options: CalibrateOptions;
  fitted: HeldOut;
  /** The default model on the same folds, scored from the same columns. */
  baseline: HeldOut;
  /** Held-out log-odds where warm and hot begin, and whether hot reached its precision. */
  thresholds: LevelThresholds;
  /** The rule the levels were chosen by, defaults filled in. */
  rule: LevelRule;
  /** Columns left out of the fit (constant, or a linear combination of others), in the file's order. */
  dropped: DroppedColumn[];
  /** What the report must say before anything else: the fitted model does not beat the default, ... */
  warnings: string[];
  /** By importance (|perSd|), largest first. */
  weights: FittedWeight[];
  model: LogisticModel;
  /**
   * Every row's held-out score, in the rows' order: the fitted model's log-odds (from the fold that left the row
   * out) and the default model's 0-100 score, with the labels. The HTML report draws its curves from them.
   */
  scores: { fitted: number[]; baseline: number[]; labels: (0 | 1)[] };
}

// No sane model on ln(1 + x) features has a weight or intercept this large (+319,595 came from a constant column).
const MAX_WRITTEN = 1e3;

// Below this spread a column is constant in the training rows: it can carry no weight.
const MIN_SD = 1e-9;

const logit = (p: number): number => Math.log(p / (1 - p));

/** Keeps a written number readable: 6 significant digits change no score. */
const round = (v: number): number => Number(v.toPrecision(6));

interface Scaler {
  mean: number[];
  sd: number[];
}

function getScaler(rows: readonly number[][]): Scaler {
  const p = rows[0]?.length ?? 0;
  const mean = new Array<number>(p).fill(0);
  const sd = new Array<number>(p).fill(0);
  for (const r of rows) r.forEach((v, j) => (mean[j]! += v / rows.length));
  for (const r of rows) r.forEach((v, j) => (sd[j]! += (v - mean[j]!) ** 2 / rows.length));
  return { mean, sd: sd.map(Math.sqrt) };
}

const scale = (r: readonly number[], s: Scaler): number[] => r.map((v, j) => (s.sd[j]! > MIN_SD ? (v - s.mean[j]!) / s.sd[j]! : 0));

/** Fits on rows already transformed by `ln(1 + x)`; returns weights back on that (unstandardised) scale. */
function fit(t: readonly number[][], y: readonly (0 | 1)[], l2: number): { intercept: number; weights: number[]; perSd: number[] } {
  const scaler = getScaler(t);
  const f = fitLogistic(
    t.map((r) => scale(r, scaler)),
    y,
    l2,
  );
  const weights = f.weights.map((w, j) => (scaler.sd[j]! > MIN_SD ? w / scaler.sd[j]! : 0));
  const intercept = f.intercept - weights.reduce((sum, w, j) => sum + w * scaler.mean[j]!, 0);
  return { intercept, weights, perSd: f.weights };
}

/**
 * The default model, scored from a CSV row: each signal's points times the feature value, with diminishing
 * returns past one day's cap (`getDiminished`), summed. A CSV holds per-visitor totals, so the per-day caps
 * themselves cannot be applied: this is the default model without them. `raw` is the sum (it keeps ordering
 * above 100, so the held-out AUC is taken on it), `score` the sum held to 0-100. Columns missing from the file
 * count as 0.
 */
export function getBaselineScore(
  row: readonly number[],
  features: readonly FeatureName[],
  model: PointsModel,
): { score: number; raw: number; kinds: number } {
  let raw = 0;
  let kinds = 0;
  const column = (name: FeatureName): number => row[features.indexOf(name)] ?? 0;
  features.forEach((name, j) => {
    const [each = 0, cap = 0] = model.points[name] ?? [];
    const points = getDiminished(each * row[j]!, cap);
    raw += points;
    // Kinds as scoreProfile counts them: 2 points or more, page views being volume, not a kind.
    if (points >= 2 && name !== 'page_views') kinds += name === 'conversions' ? Infinity : 1;
  });
  // A file with page_minutes but no other_minutes (time on site from another tool) has its minutes on pages
  // without a kind as page_minutes less the article minutes, when it has those.
  const [each = 0, cap = 0] = model.points['other_minutes'] ?? [];
  if (!features.includes('other_minutes') && features.includes('page_minutes')) {
    const points = getDiminished(each * Math.max(0, column('page_minutes') - column('article_minutes')), cap);
    raw += points;
    if (points >= 2) kinds++;
  }
  return { score: Math.min(100, Math.max(0, raw)), raw, kinds };
}

/**
 * Fits a logistic model to a calibrate CSV and compares it with the default model on the same folds.
 *
 * - Features enter as `ln(1 + x)`: counts and minutes are skewed (a few visitors read 50 pages), and the
 *   first article read says more than the tenth.
 * - k-fold cross-validation, stratified and seeded: each fold's model is fitted on the other folds and scored
 *   on this one, so the AUC, the average precision and the level results are all held out.
 * - Columns it cannot use are dropped first and named in the report: a constant column, and one that is an
 *   exact linear combination of others (`return_visits` = `visits - 1`).
 * - Levels from the held-out scores, by what sales can act on (`getLevelThresholds`): warm is the top
 *   `warmShare` of visitors, hot the largest group above it that converts at `hotPrecision`. Data that cannot
 *   carry two levels is refused with a `CalibrateError`. The final model, fitted on every row, is then put on the default score scale — an
 *   affine change of its log-odds, which keeps its ranking — so that warm starts at 50 and hot at 80, and the
 *   default exits (40, 70) keep the same hysteresis.
 */
export function calibrate(input: Dataset, options: CalibrateOptions): Calibration {
  const dropped = findUnusableColumns(input);
  const data = withoutColumns(input, dropped);
  const { x, y, features } = data;
  const k = options.folds;
  const converted = y.reduce<number>((a, b) => a + b, 0);
  const others = y.length - converted;
  if (converted < k || others < k) {
    throw new CalibrateError(
      'bad_data',
      `${converted} visitors converted and ${others} did not: each of the ${k} folds needs at least one of each; add rows or lower --folds`,
    );
  }
  const t = x.map((r) => r.map(Math.log1p));
  const fold = getFolds(y, k, options.seed);
  const heldOut = new Array<number>(y.length).fill(0);
  // The default model scores every column the file has, the dropped ones included.
  const baseline = input.x.map((r) => getBaselineScore(r, input.features, DEFAULT_MODEL));
  const fittedAuc: number[] = [];
  const fittedAp: number[] = [];
  const baseAuc: number[] = [];
  const baseAp: number[] = [];
  for (let f = 0; f < k; f++) {
    const train = y.flatMap((_, i) => (fold[i] !== f ? [i] : []));
    const test = y.flatMap((_, i) => (fold[i] === f ? [i] : []));
    const model = fit(
      train.map((i) => t[i]!),
      train.map((i) => y[i]!),
      options.l2,
    );
    for (const i of test) heldOut[i] = model.weights.reduce((z, w, j) => z + w * t[i]![j]!, model.intercept);
    const labels = test.map((i) => y[i]!);
    fittedAuc.push(
      getRocAuc(
        test.map((i) => heldOut[i]!),
        labels,
      ),
    );
    fittedAp.push(
      getAveragePrecision(
        test.map((i) => heldOut[i]!),
        labels,
      ),
    );
    baseAuc.push(
      getRocAuc(
        test.map((i) => baseline[i]!.raw),
        labels,
      ),
    );
    baseAp.push(
      getAveragePrecision(
        test.map((i) => baseline[i]!.raw),
        labels,
      ),
    );
  }

  const rule: LevelRule = { warmShare: options.warmShare ?? 0.2, ...(options.hotPrecision ? { hotPrecision: options.hotPrecision } : {}) };
  const rounded = heldOut.map(roundScore);
  const thresholds = getLevelThresholds(rounded, y, rule);
  const { warm, hot } = thresholds;
  const fitted: HeldOut = {
    auc: fittedAuc,
    ap: fittedAp,
    warm: getLevelResult(rounded, y, (z) => z >= warm),
    hot: getLevelResult(rounded, y, (z) => z >= hot),
  };
  const levels = DEFAULT_MODEL.levels;
  const scores = baseline.map((b) => b.score);
  const enough = (i: number): boolean => baseline[i]!.kinds >= levels.minKinds;
  const base: HeldOut = {
    auc: baseAuc,
    ap: baseAp,
    warm: getLevelResult(scores, y, (s, i) => s >= levels.warm && enough(i)),
    hot: getLevelResult(scores, y, (s, i) => s >= levels.hot && enough(i)),
  };

  // The final model, on every row, moved onto the default scale: log-odds `warm` -> score 50, `hot` -> 80.
  const all = fit(t, y, options.l2);
  const a = (logit(levels.hot / 100) - logit(levels.warm / 100)) / (hot - warm);
  const c = logit(levels.warm / 100) - a * warm;
  const weights: FittedWeight[] = features.map((feature, j) => ({ feature, perSd: all.perSd[j]!, weight: round(a * all.weights[j]!) }));
  const model: LogisticModel = {
    kind: 'logistic',
    version: options.version,
    halfLifeDays: options.halfLifeDays,
    levels: { ...levels, minKinds: 0 },
    conversions: { ...DEFAULT_MODEL.conversions },
    reasons: { ...DEFAULT_MODEL.reasons },
    intercept: round(a * all.intercept + c),
    weights: Object.fromEntries(weights.filter((w) => w.weight !== 0).map((w) => [w.feature, w.weight])),
  };
  // A safety net under the level rules: numbers this size mean a fit gone wrong, never a usable model.
  for (const [name, value] of [['intercept', model.intercept], ...Object.entries(model.weights)] as const) {
    if (!(Math.abs(value!) <= MAX_WRITTEN)) {
      throw new CalibrateError(
        'bad_data',
        `the fit is degenerate (${name} ${value}); check the columns for one that gives the answer away, add rows, or raise --l2`,
      );
    }
  }
  weights.sort((p, q) => Math.abs(q.perSd) - Math.abs(p.perSd));
  const warnings: string[] = [];
  const [fittedMean, baseMean] = [getMeanSd(fittedAuc).mean, getMeanSd(baseAuc).mean];
  if (!(fittedMean > baseMean)) {
    warnings.push(
      `The fitted model does not beat the default held-out (ROC-AUC ${fittedMean.toFixed(3)} against ${baseMean.toFixed(3)}): keep the default model, or add rows and feature columns before deploying this one.`,
    );
  }
  return {
    rows: y.length,
    converted,
    features,
    options,
    fitted,
    baseline: base,
    thresholds,
    rule,
    dropped,
    warnings,
    weights,
    model,
    scores: { fitted: heldOut, baseline: scores, labels: y },
  };
}
