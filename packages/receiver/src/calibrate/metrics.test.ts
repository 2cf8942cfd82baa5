import { describe, expect, it } from 'vitest';
import { getAveragePrecision, getLevelResult, getMeanSd, getRocAuc } from './metrics.js';

describe('getRocAuc', () => {
  it('counts the pairs a converted visitor wins (a hand-checked example)', () => {
    // Converted at 0.35 and 0.8, not at 0.1 and 0.4: 0.35 beats 0.1 but not 0.4, 0.8 beats both -> 3 of 4 pairs.
    expect(getRocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
  });

  it('counts a tie as half a pair', () => {
    // The converted 1 ties a 1 (half) and beats a 0: 1.5 of 2 pairs.
    expect(getRocAuc([1, 1, 0], [1, 0, 0])).toBe(0.75);
    expect(getRocAuc([5, 5, 5, 5], [1, 0, 1, 0])).toBe(0.5);
  });

  it('is 1 for a perfect ranking, 0 for a reversed one, NaN with one class', () => {
    expect(getRocAuc([3, 2, 1], [1, 1, 0])).toBe(1);
    expect(getRocAuc([1, 2, 3], [1, 1, 0])).toBe(0);
    expect(getRocAuc([1, 2], [1, 1])).toBeNaN();
  });
});

describe('getAveragePrecision', () => {
  it('weights the precision at each threshold by the recall gained there (a hand-checked example)', () => {
    // From the top: 0.8 converted (P 1, R 0.5), 0.4 not, 0.35 converted (P 2/3, R 1) -> 0.5 × 1 + 0.5 × 2/3.
    expect(getAveragePrecision([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(5 / 6, 12);
  });

  it('treats tied scores as one threshold', () => {
    expect(getAveragePrecision([1, 1, 0], [1, 0, 0])).toBe(0.5);
    expect(getAveragePrecision([1, 1, 0], [0, 1, 0])).toBe(0.5);
    expect(getAveragePrecision([0, 0], [0, 0])).toBeNaN();
  });
});

describe('getLevelResult', () => {
  it('gives the flagged share, precision and recall', () => {
    const scores = [90, 85, 60, 55, 20, 10];
    const labels = [1, 0, 1, 0, 1, 0] as const;
    expect(getLevelResult(scores, labels, (s) => s >= 80)).toEqual({ flagged: 2 / 6, precision: 0.5, recall: 1 / 3 });
    expect(getLevelResult(scores, labels, (s) => s >= 50)).toEqual({ flagged: 4 / 6, precision: 0.5, recall: 2 / 3 });
    expect(getLevelResult(scores, labels, () => false).precision).toBeNaN();
  });
});

describe('getMeanSd', () => {
  it('gives the mean and the sample standard deviation', () => {
    expect(getMeanSd([2, 4, 4, 4, 5, 5, 7, 9])).toEqual({ mean: 5, sd: Math.sqrt(32 / 7) });
  });
});
