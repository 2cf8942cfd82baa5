import { CalibrateError } from './errors.js';

/** How warm and hot are chosen on the held-out scores. */
export interface LevelRule {
  /** Warm (or above) is at most this share of visitors, the top of the ranking. @default 0.2 */
  warmShare: number;
  /**
   * Hot is the largest group at the top whose held-out precision (the share who converted) reaches this.
   * @default twice warm's precision, at most halfway from it to 1
   */
  hotPrecision?: number;
}

/** Held-out log-odds are compared to this many decimals: closer scores are one score seen by two folds. */
const DECIMALS = 2;
/** The least gap between warm and hot, in log-odds: hot visitors' odds at least 1.1 times warm's. */
export const MIN_LEVEL_GAP = 0.1;
/** Hot's precision is measured on at least this many visitors, so one lucky convert cannot set it. */
const MIN_HOT_ROWS = 10;

/**
 * The default hot precision, from warm's: twice it (a hot lead is worth two warm ones of a salesperson's time),
 * at most halfway from it to 1 (so a warm level that already converts at 60% asks 80% of hot, not 120%).
 */
export function getDefaultHotPrecision(warmPrecision: number): number {
  return Math.min(2 * warmPrecision, (1 + warmPrecision) / 2);
}

/** Rounds held-out log-odds so that float noise between folds does not make distinct scores. */
export const roundScore = (z: number): number => Math.round(z * 10 ** DECIMALS) / 10 ** DECIMALS;

/** Where warm and hot begin, in held-out log-odds, and whether hot reached its precision. */
export interface LevelThresholds {
  warm: number;
  hot: number;
  /** The precision hot was asked to reach: the rule's, or the default from warm's. */
  hotPrecision: number;
  /** False when no group above warm reached `hotPrecision`: hot is then the top quarter of warm. */
  hotReached: boolean;
}

/**
 * Chooses warm and hot on held-out scores (already rounded with {@link roundScore}) by what sales can act on:
 * warm is the top `warmShare` of visitors (the lowest score that flags no more), hot the lowest score at least
 * {@link MIN_LEVEL_GAP} above warm whose group converts at `hotPrecision` or better; when none does, the top
 * quarter of warm, and `hotReached` says so. Throws a `CalibrateError` when the scores cannot carry two levels.
 */
export function getLevelThresholds(scores: readonly number[], labels: readonly (0 | 1)[], rule: LevelRule): LevelThresholds {
  const order = scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const n = scores.length;
  // Distinct thresholds from the top: [score, visitors at or above it, converts among them].
  const steps: [number, number, number][] = [];
  let hits = 0;
  for (let i = 0; i < n;) {
    const score = scores[order[i]!]!;
    while (i < n && scores[order[i]!] === score) hits += labels[order[i++]!]!;
    steps.push([score, i, hits]);
  }
  if (steps.length < 3) {
    throw new CalibrateError(
      'bad_data',
      `the held-out scores take only ${steps.length} distinct value${steps.length === 1 ? '' : 's'} (to ${DECIMALS} decimals of log-odds): the columns do not tell visitors apart; add rows or feature columns that vary`,
    );
  }
  // The lowest threshold flagging at most the share; the top score when even it flags more (many ties).
  const warmStep = steps.findLastIndex(([, count]) => count <= rule.warmShare * n);
  const [warm, warmCount, warmHits] = steps[Math.max(0, warmStep)]!;
  const hotPrecision = rule.hotPrecision ?? getDefaultHotPrecision(warmHits / warmCount);
  const above = steps.filter(([score, count]) => score >= warm + MIN_LEVEL_GAP - 1e-9 && count >= 1);
  if (!above.length) {
    throw new CalibrateError(
      'bad_data',
      `hot cannot be set apart from warm: no held-out score is ${MIN_LEVEL_GAP} log-odds above warm (${warm.toFixed(3)}); the columns barely separate visitors; add rows or feature columns that vary`,
    );
  }
  const reached = above.findLast(([, count, converts]) => count >= MIN_HOT_ROWS && converts / count >= hotPrecision);
  if (reached) return { warm, hot: reached[0], hotPrecision, hotReached: true };
  const quarter = above.findLast(([, count]) => count <= warmCount / 4) ?? above[0]!;
  return { warm, hot: quarter[0], hotPrecision, hotReached: false };
}
