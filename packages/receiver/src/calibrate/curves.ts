/**
 * The points behind the report's pictures, from held-out scores and labels (higher score = more likely to
 * convert). Tied scores form one step of a curve, as in the ranking metrics.
 */

/** An (x, y) point of a curve, both from 0 to 1. */
export type Point = readonly [number, number];

/** Distinct scores from the highest down: how many rows and converted rows each step adds. */
function getSteps(scores: readonly number[], labels: readonly (0 | 1)[]): { rows: number; hits: number }[] {
  const order = scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const steps: { rows: number; hits: number }[] = [];
  for (let i = 0; i < order.length;) {
    let j = i;
    let hits = 0;
    while (j < order.length && scores[order[j]!] === scores[order[i]!]) hits += labels[order[j++]!]!;
    steps.push({ rows: j - i, hits });
    i = j;
  }
  return steps;
}

/** ROC curve: (false-positive rate, true-positive rate) from flagging nobody to flagging everyone. */
export function getRocPoints(scores: readonly number[], labels: readonly (0 | 1)[]): Point[] {
  const positives = labels.reduce<number>((a, b) => a + b, 0);
  const negatives = labels.length - positives;
  const points: Point[] = [[0, 0]];
  let tp = 0;
  let fp = 0;
  for (const step of getSteps(scores, labels)) {
    tp += step.hits;
    fp += step.rows - step.hits;
    points.push([negatives ? fp / negatives : 0, positives ? tp / positives : 0]);
  }
  return points;
}

/** Precision-recall curve: (recall, precision) at each distinct score, highest first. */
export function getPrPoints(scores: readonly number[], labels: readonly (0 | 1)[]): Point[] {
  const positives = labels.reduce<number>((a, b) => a + b, 0);
  const points: Point[] = [];
  let tp = 0;
  let flagged = 0;
  for (const step of getSteps(scores, labels)) {
    tp += step.hits;
    flagged += step.rows;
    points.push([positives ? tp / positives : 0, tp / flagged]);
  }
  return points;
}

/** Rows sorted by score, highest first (ties keep the rows' order), cut into `groups` groups of equal size. */
function getGroups(scores: readonly number[], groups: number): number[][] {
  const order = scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
  return Array.from({ length: groups }, (_, g) =>
    order.slice(Math.round((g * order.length) / groups), Math.round(((g + 1) * order.length) / groups)),
  );
}

/** One bin of a reliability plot: the mean predicted probability and the share that converted. */
export interface ReliabilityBin {
  predicted: number;
  observed: number;
  rows: number;
}

/**
 * Reliability: rows in `bins` groups of equal size by predicted probability, each group's mean prediction against
 * its conversion rate. A calibrated model's bins lie on the diagonal.
 */
export function getReliability(probabilities: readonly number[], labels: readonly (0 | 1)[], bins = 10): ReliabilityBin[] {
  return getGroups(probabilities, bins)
    .filter((rows) => rows.length > 0)
    .map((rows) => ({
      predicted: rows.reduce((sum, i) => sum + probabilities[i]!, 0) / rows.length,
      observed: rows.reduce((sum, i) => sum + labels[i]!, 0) / rows.length,
      rows: rows.length,
    }))
    .reverse();
}

/**
 * Lift by decile: each tenth of the rows by score (highest first), its conversion rate over the overall rate. The
 * top decile's lift is how many times likelier than average its visitors are to convert. Tied scores across a
 * decile's edge are split by row order.
 */
export function getDecileLift(scores: readonly number[], labels: readonly (0 | 1)[]): number[] {
  const rate = labels.reduce<number>((a, b) => a + b, 0) / labels.length;
  return getGroups(scores, 10).map((rows) => (rows.length && rate ? rows.reduce((sum, i) => sum + labels[i]!, 0) / rows.length / rate : 0));
}

/** At most `max` points of a curve, evenly spaced, with its first and last: a picture needs no more. */
export function thin(points: readonly Point[], max = 400): Point[] {
  if (points.length <= max) return [...points];
  const step = (points.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => points[Math.round(i * step)]!);
}
