import { describe, expect, it } from 'vitest';
import { createRandom } from './folds.js';
import { fitLogistic, solveSymmetric } from './logistic.js';

function simulate(n: number, seed: number, intercept: number, weights: number[]): { x: number[][]; y: (0 | 1)[] } {
  const random = createRandom(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const x: number[][] = [];
  const y: (0 | 1)[] = [];
  for (let i = 0; i < n; i++) {
    const row = weights.map(gaussian);
    const z = row.reduce((sum, v, j) => sum + v * weights[j]!, intercept);
    x.push(row);
    y.push(random() < 1 / (1 + Math.exp(-z)) ? 1 : 0);
  }
  return { x, y };
}

describe('solveSymmetric', () => {
  it('solves a small positive-definite system', () => {
    // 4a + 2b = 2, 2a + 3b = 1 -> a = 0.5, b = 0
    const [a, b] = solveSymmetric(
      [
        [4, 2],
        [2, 3],
      ],
      [2, 1],
    );
    expect(a).toBeCloseTo(0.5, 12);
    expect(b).toBeCloseTo(0, 12);
  });

  it('refuses a singular matrix', () => {
    expect(() =>
      solveSymmetric(
        [
          [1, 1],
          [1, 1],
        ],
        [1, 1],
      ),
    ).toThrow(/singular/);
  });
});

describe('fitLogistic', () => {
  it('recovers known weights from simulated data', () => {
    const { x, y } = simulate(20_000, 3, -1, [2, -1, 0]);
    const fit = fitLogistic(x, y, 1e-6);
    expect(fit.intercept).toBeCloseTo(-1, 1);
    expect(fit.weights[0]).toBeCloseTo(2, 1);
    expect(fit.weights[1]).toBeCloseTo(-1, 1);
    expect(fit.weights[2]).toBeCloseTo(0, 1);
    expect(fit.iterations).toBeLessThan(15);
  });

  it('stops where the penalised gradient is zero', () => {
    const { x, y } = simulate(500, 5, 0.3, [1, 0.5]);
    const l2 = 10;
    const fit = fitLogistic(x, y, l2);
    const gradient = [0, 0, 0];
    x.forEach((row, i) => {
      const mu = 1 / (1 + Math.exp(-(fit.intercept + row[0]! * fit.weights[0]! + row[1]! * fit.weights[1]!)));
      [1, ...row].forEach((v, j) => (gradient[j]! += (mu - y[i]!) * v));
    });
    expect(gradient[0]).toBeCloseTo(0, 8);
    expect(gradient[1]! + l2 * fit.weights[0]!).toBeCloseTo(0, 8);
    expect(gradient[2]! + l2 * fit.weights[1]!).toBeCloseTo(0, 8);
    // The penalty pulls the weights towards 0.
    const loose = fitLogistic(x, y, 1e-6);
    expect(Math.abs(fit.weights[0]!)).toBeLessThan(Math.abs(loose.weights[0]!));
  });

  it('keeps the weights finite on perfectly separable data', () => {
    const x = [[-2], [-1], [1], [2]];
    const fit = fitLogistic(x, [0, 0, 1, 1], 1);
    expect(Number.isFinite(fit.weights[0])).toBe(true);
    expect(fit.weights[0]).toBeGreaterThan(0);
    expect(fit.iterations).toBeLessThan(100);
  });
});
