import { DEFAULT_MODEL, parseModel } from '@inkling/core';
import type { FeatureName } from '@inkling/core';
import { describe, expect, it } from 'vitest';
import { calibrate, getBaselineScore, getBestThreshold } from './calibrate.js';
import type { CalibrateOptions } from './calibrate.js';
import { readDataset } from './dataset.js';
import { CalibrateError } from './errors.js';
import { generateVisitors, toCsv, TRUE_WEIGHTS } from '../../test/generate.js';
import { getMeanSd } from './metrics.js';

const OPTIONS: CalibrateOptions = { folds: 5, seed: 1, l2: 1, version: 'calibrated-test', halfLifeDays: 30 };

describe('calibrate on generated visitors with known weights', () => {
  const data = readDataset(toCsv(generateVisitors({ rows: 5000, seed: 1 })));
  const result = calibrate(data, OPTIONS);
  const weight = (f: FeatureName) => result.model.weights[f] ?? 0;

  it('recovers the order of the true weights', () => {
    const truth = Object.entries(TRUE_WEIGHTS) as [FeatureName, number][];
    const byTrue = [...truth].sort((a, b) => b[1] - a[1]).map(([f]) => f);
    const byFitted = [...truth].sort((a, b) => weight(b[0]) - weight(a[0])).map(([f]) => f);
    expect(byFitted).toEqual(byTrue);
    expect(byTrue).toEqual(['docs_views', 'article_reads', 'pricing_views', 'days_since_last_seen', 'careers_views']);
    // Features with no true effect get less weight than the weakest real one.
    const weakest = Math.min(...truth.map(([f]) => Math.abs(weight(f))));
    for (const f of data.features.filter((f) => !(f in TRUE_WEIGHTS))) expect(Math.abs(weight(f))).toBeLessThan(weakest);
  });

  it("beats the default model's held-out AUC and average precision on the same folds", () => {
    const fitted = getMeanSd(result.fitted.auc).mean;
    const baseline = getMeanSd(result.baseline.auc).mean;
    expect(result.fitted.auc).toHaveLength(5);
    expect(result.baseline.auc).toHaveLength(5);
    expect(fitted).toBeGreaterThan(0.8);
    expect(fitted - baseline).toBeGreaterThan(0.05);
    expect(getMeanSd(result.fitted.ap).mean).toBeGreaterThan(getMeanSd(result.baseline.ap).mean);
  });

  it('writes a model the browser and the receiver accept, warm at 50 and hot at 80', () => {
    const model = parseModel(JSON.parse(JSON.stringify(result.model)));
    expect(model).toMatchObject({ kind: 'logistic', version: 'calibrated-test', levels: { warm: 50, hot: 80, warmExit: 40, hotExit: 70, minKinds: 0 } });
    // In-sample, the final model flags about as many visitors as the held-out thresholds did.
    const score = (row: number[]) => {
      const z = data.features.reduce((sum, f, j) => sum + weight(f) * Math.log1p(row[j]!), result.model.intercept);
      return 100 / (1 + Math.exp(-z));
    };
    const share = (min: number) => data.x.filter((row) => score(row) >= min).length / data.x.length;
    // Within a quarter of it: an absolute tolerance would pass a model that flags nobody hot (about 3 % are).
    for (const [min, flagged] of [[50, result.fitted.warm.flagged], [80, result.fitted.hot.flagged]] as const) {
      expect(flagged).toBeGreaterThan(0);
      expect(Math.abs(share(min) / flagged - 1), `share at ${min}: ${share(min)} against ${flagged}`).toBeLessThan(0.25);
    }
    // Hot is stricter than warm: fewer flagged, more of them convert.
    expect(result.fitted.hot.flagged).toBeLessThan(result.fitted.warm.flagged);
    expect(result.fitted.hot.precision).toBeGreaterThan(result.fitted.warm.precision);
  });

  it('is deterministic for a seed, and the seed moves the folds', () => {
    expect(calibrate(data, OPTIONS).fitted.auc).toEqual(result.fitted.auc);
    expect(calibrate(data, { ...OPTIONS, seed: 2 }).fitted.auc).not.toEqual(result.fitted.auc);
  });
});

describe('getBestThreshold', () => {
  const scores = [0.9, 0.8, 0.7, 0.6, 0.5];
  const labels = [1, 1, 0, 1, 0] as const;

  it('picks the threshold with the highest F-beta (hand-checked)', () => {
    // F2 at 0.6 (P 3/4, R 1) = 0.9375 beats 0.882 at 0.5; F0.5 at 0.8 (P 1, R 2/3) = 0.909 beats 0.789 at 0.6.
    expect(getBestThreshold(scores, [...labels], 2)).toBe(0.6);
    expect(getBestThreshold(scores, [...labels], 0.5)).toBe(0.8);
  });

  it('looks only above a floor', () => {
    expect(getBestThreshold(scores, [...labels], 0.5, 0.8)).toBe(0.9);
    expect(getBestThreshold(scores, [...labels], 0.5, 0.9)).toBeUndefined();
  });
});

describe('getBaselineScore', () => {
  it('scores the default points from the columns, with diminishing returns and the two-kinds rule', () => {
    const features: FeatureName[] = ['page_views', 'article_reads', 'pricing_views', 'careers_views'];
    expect(getBaselineScore([5, 3, 2, 0], features, DEFAULT_MODEL)).toEqual({ score: 5 + 24 + 30, raw: 59, kinds: 2 });
    expect(getBaselineScore([20, 0, 0, 3], features, DEFAULT_MODEL)).toMatchObject({ score: 0, kinds: 0 });
    // 20 reads: 160 points, 32 of them in full and the rest diminishing; the raw total keeps ordering above 100.
    const reader = getBaselineScore([1, 20, 0, 0], features, DEFAULT_MODEL);
    expect(reader).toEqual({ score: 1 + 32 * (1 + Math.log(5)), raw: 1 + 32 * (1 + Math.log(5)), kinds: 1 });
    const heavier = getBaselineScore([1, 40, 0, 0], features, DEFAULT_MODEL);
    expect(heavier.score).toBe(100);
    expect(heavier.raw).toBeGreaterThan(reader.raw);
    expect(getBaselineScore([1, 1], ['page_views', 'conversions'], DEFAULT_MODEL)).toEqual({ score: 81, raw: 81, kinds: Infinity });
    // Minutes are a kind once they earn 2 points; visits, like page views, never are.
    expect(getBaselineScore([30, 9, 12], ['page_views', 'visits', 'page_minutes'], DEFAULT_MODEL).kinds).toBe(1);
  });
});

describe('calibrate on data it cannot use', () => {
  it('asks for more rows when a fold would have no conversion', () => {
    const data = readDataset('converted,visits\n1,2\n1,3\n0,1\n0,1\n0,2\n0,1\n');
    expect(() => calibrate(data, OPTIONS)).toThrow(CalibrateError);
    expect(() => calibrate(data, OPTIONS)).toThrow('2 visitors converted and 4 did not: each of the 5 folds needs at least one of each; add rows or lower --folds');
  });
});
