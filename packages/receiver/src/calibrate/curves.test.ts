import { describe, expect, it } from 'vitest';
import { getDecileLift, getPrPoints, getReliability, getRocPoints, thin } from './curves.js';

describe('report curves', () => {
  const scores = [0.9, 0.8, 0.8, 0.4, 0.1];
  const labels: (0 | 1)[] = [1, 1, 0, 0, 1];

  it('steps the ROC curve once per distinct score, tied scores together', () => {
    expect(getRocPoints(scores, labels)).toEqual([
      [0, 0],
      [0, 1 / 3],
      [0.5, 2 / 3],
      [1, 2 / 3],
      [1, 1],
    ]);
  });

  it('gives precision at each recall, highest score first', () => {
    expect(getPrPoints(scores, labels)).toEqual([
      [1 / 3, 1],
      [2 / 3, 2 / 3],
      [2 / 3, 0.5],
      [1, 0.6],
    ]);
  });

  it('bins reliability by predicted probability, lowest bin first', () => {
    const bins = getReliability([0.1, 0.1, 0.9, 0.9], [0, 1, 1, 1], 2);
    expect(bins).toEqual([
      { predicted: 0.1, observed: 0.5, rows: 2 },
      { predicted: 0.9, observed: 1, rows: 2 },
    ]);
  });

  it('gives the lift of each decile over the overall rate', () => {
    const s = Array.from({ length: 20 }, (_, i) => 20 - i);
    const y = s.map((_, i) => (i < 2 ? 1 : 0)) as (0 | 1)[];
    expect(getDecileLift(s, y)).toEqual([10, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('thins a long curve to the first, the last and evenly spaced points between', () => {
    const points = Array.from({ length: 1001 }, (_, i) => [i / 1000, i / 1000] as const);
    const thinned = thin(points, 11);
    expect(thinned).toHaveLength(11);
    expect(thinned[0]).toEqual([0, 0]);
    expect(thinned[10]).toEqual([1, 1]);
    expect(thinned[5]).toEqual([0.5, 0.5]);
  });
});
