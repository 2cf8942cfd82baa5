/**
 * Ranking metrics for held-out scores. Higher scores mean "more likely to convert"; ties are handled exactly
 * (a tie between a converted and a not-converted visitor counts half).
 */

/**
 * ROC-AUC: the chance that a random converted visitor scores above a random one who did not (Mann-Whitney U
 * over average ranks). 0.5 is chance, 1 is perfect. `NaN` when either class is missing.
 */
export function getRocAuc(scores: readonly number[], labels: readonly (0 | 1)[]): number {
  const order = scores.map((_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j < order.length && scores[order[j]!] === scores[order[i]!]) j++;
    // Rows i..j-1 tie: each gets the average of ranks i+1..j.
    const rank = (i + 1 + j) / 2;
    for (let t = i; t < j; t++) {
      if (labels[order[t]!] === 1) {
        positives++;
        rankSum += rank;
      }
    }
    i = j;
  }
  const negatives = scores.length - positives;
  if (!positives || !negatives) return NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * Average precision: the precision at each score threshold, weighted by the recall gained there,
 * `Σ (R_k - R_k-1) × P_k` over distinct scores from the highest down (tied scores form one threshold). Its
 * chance level is the conversion rate, so compare it with that.
 */
export function getAveragePrecision(scores: readonly number[], labels: readonly (0 | 1)[]): number {
  const order = scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const positives = labels.reduce<number>((sum, v) => sum + v, 0);
  if (!positives) return NaN;
  let truePositives = 0;
  let ap = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    let gained = 0;
    while (j < order.length && scores[order[j]!] === scores[order[i]!]) gained += labels[order[j++]!]!;
    truePositives += gained;
    ap += (gained / positives) * (truePositives / j);
    i = j;
  }
  return ap;
}

/** What flagging every visitor scoring at least `threshold` gives. */
export interface LevelResult {
  /** Share of all visitors flagged. */
  flagged: number;
  /** Share of the flagged who converted (`NaN` when none is flagged). */
  precision: number;
  /** Share of the converted who were flagged. */
  recall: number;
}

export function getLevelResult(
  scores: readonly number[],
  labels: readonly (0 | 1)[],
  flag: (score: number, row: number) => boolean,
): LevelResult {
  let flagged = 0;
  let hits = 0;
  let positives = 0;
  scores.forEach((score, i) => {
    const on = flag(score, i);
    flagged += on ? 1 : 0;
    hits += on && labels[i] ? 1 : 0;
    positives += labels[i]!;
  });
  return { flagged: flagged / scores.length, precision: flagged ? hits / flagged : NaN, recall: positives ? hits / positives : NaN };
}

/** The mean and the standard deviation (n - 1) of per-fold results. */
export function getMeanSd(values: readonly number[]): { mean: number; sd: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = values.length > 1 ? Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1)) : 0;
  return { mean, sd };
}
