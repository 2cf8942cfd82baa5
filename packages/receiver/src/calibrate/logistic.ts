import { CalibrateError } from './errors.js';

/** A fitted logistic regression: `P(converted) = 1 / (1 + e^-(intercept + Σ weights[j] × x[j]))`. */
export interface LogisticFit {
  intercept: number;
  weights: number[];
  /** Newton steps taken. */
  iterations: number;
}

const MAX_ITERATIONS = 100;
// Stop when no parameter moves by more than this (on standardised inputs, far below any visible effect).
const TOLERANCE = 1e-10;

/** `ln(1 + e^z)` without overflow. */
const softplus = (z: number): number => (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)));

/**
 * Fits an L2-regularised logistic regression: minimises `Σ [ln(1 + e^z_i) - y_i z_i] + l2/2 × Σ w_j²` with
 * `z_i = b + w·x_i` (the intercept is not penalised). Inputs should be standardised so that one `l2` suits
 * every column.
 *
 * Newton's method (IRLS) with a backtracking line search: with a few dozen columns the Hessian is tiny, each
 * step costs one pass over the rows, and the penalised loss is strictly convex, so it converges in a handful
 * of steps to the one minimum, with no learning rate to tune and no randomness (the same data gives the
 * same weights, bit for bit).
 */
export function fitLogistic(x: readonly (readonly number[])[], y: readonly (0 | 1)[], l2: number): LogisticFit {
  const n = x.length;
  const p = (x[0]?.length ?? 0) + 1;
  const positives = y.reduce<number>((a, b) => a + b, 0);
  // Start at the base rate: the best model with no inputs.
  const beta = new Array<number>(p).fill(0);
  beta[0] = Math.log((positives + 0.5) / (n - positives + 0.5));
  const row = (i: number): number[] => [1, ...x[i]!];
  const loss = (b: readonly number[]): number => {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const z = dot(b, row(i));
      sum += softplus(z) - y[i]! * z;
    }
    for (let j = 1; j < p; j++) sum += (l2 / 2) * b[j]! ** 2;
    return sum;
  };
  let current = loss(beta);
  let iterations = 0;
  while (iterations < MAX_ITERATIONS) {
    iterations++;
    const gradient = new Array<number>(p).fill(0);
    const hessian = Array.from({ length: p }, () => new Array<number>(p).fill(0));
    for (let i = 0; i < n; i++) {
      const r = row(i);
      const mu = 1 / (1 + Math.exp(-dot(beta, r)));
      const w = mu * (1 - mu);
      for (let j = 0; j < p; j++) {
        gradient[j]! += (mu - y[i]!) * r[j]!;
        for (let k = 0; k <= j; k++) hessian[j]![k]! += w * r[j]! * r[k]!;
      }
    }
    for (let j = 1; j < p; j++) {
      gradient[j]! += l2 * beta[j]!;
      hessian[j]![j]! += l2;
    }
    const step = solveSymmetric(hessian, gradient);
    // Backtracking (Armijo): halve the step until the loss falls enough; a full Newton step almost always does.
    const slope = dot(gradient, step);
    let t = 1;
    let next = beta.map((b, j) => b - step[j]!);
    let nextLoss = loss(next);
    while (nextLoss > current - 1e-4 * t * slope && t > 1e-8) {
      t /= 2;
      next = beta.map((b, j) => b - t * step[j]!);
      nextLoss = loss(next);
    }
    const moved = Math.max(...next.map((b, j) => Math.abs(b - beta[j]!)));
    beta.splice(0, p, ...next);
    current = nextLoss;
    if (moved < TOLERANCE) break;
  }
  return { intercept: beta[0]!, weights: beta.slice(1), iterations };
}

function dot(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

/**
 * Solves `A s = b` for a symmetric positive-definite `A` (only its lower triangle is read) by Cholesky
 * decomposition. The penalised Hessian is positive definite whenever `l2 > 0` and the rows are not all of
 * one class.
 */
export function solveSymmetric(a: readonly (readonly number[])[], b: readonly number[]): number[] {
  const p = b.length;
  const l = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  for (let j = 0; j < p; j++) {
    let d = a[j]![j]!;
    for (let k = 0; k < j; k++) d -= l[j]![k]! ** 2;
    if (!(d > 1e-300))
      throw new CalibrateError('bad_data', 'the fit is degenerate (a singular Hessian); add rows of both classes or raise --l2');
    l[j]![j] = Math.sqrt(d);
    for (let i = j + 1; i < p; i++) {
      let s = a[i]![j]!;
      for (let k = 0; k < j; k++) s -= l[i]![k]! * l[j]![k]!;
      l[i]![j] = s / l[j]![j]!;
    }
  }
  const z = new Array<number>(p).fill(0);
  for (let i = 0; i < p; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i]![k]! * z[k]!;
    z[i] = s / l[i]![i]!;
  }
  const s = new Array<number>(p).fill(0);
  for (let i = p - 1; i >= 0; i--) {
    let t = z[i]!;
    for (let k = i + 1; k < p; k++) t -= l[k]![i]! * s[k]!;
    s[i] = t / l[i]![i]!;
  }
  return s;
}
