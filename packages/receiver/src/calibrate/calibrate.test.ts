import { DEFAULT_MODEL, parseModel } from '@inkling/core';
import type { FeatureName } from '@inkling/core';
import { describe, expect, it } from 'vitest';
import { calibrate, getBaselineScore } from './calibrate.js';
import type { CalibrateOptions } from './calibrate.js';
import { readDataset } from './dataset.js';
import { CalibrateError } from './errors.js';
import { generateVisitors, toCsv, TRUE_WEIGHTS } from '../../test/calibrate/generate.js';
import { createRandom } from './folds.js';
import { getLevelThresholds, MIN_LEVEL_GAP } from './levels.js';
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
    expect(model).toMatchObject({
      kind: 'logistic',
      version: 'calibrated-test',
      levels: { warm: 50, hot: 80, warmExit: 40, hotExit: 70, minKinds: 0 },
    });
    // In-sample, the final model flags about as many visitors as the held-out thresholds did.
    const score = (row: number[]) => {
      const z = data.features.reduce((sum, f, j) => sum + weight(f) * Math.log1p(row[j]!), result.model.intercept);
      return 100 / (1 + Math.exp(-z));
    };
    const share = (min: number) => data.x.filter((row) => score(row) >= min).length / data.x.length;
    // Within a quarter of it: an absolute tolerance would pass a model that flags nobody hot (about 3 % are).
    for (const [min, flagged] of [
      [50, result.fitted.warm.flagged],
      [80, result.fitted.hot.flagged],
    ] as const) {
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

describe('getLevelThresholds', () => {
  // 100 visitors on 10 distinct scores, 10 each (hot's precision needs 10 visitors); 1 marks a convert.
  const five = <T>(values: T[]): T[] => values.flatMap((v) => [v, v, v, v, v]);
  const scores = five([9, 9, 8, 8, 7, 7, 6, 6, 5, 5, 4, 4, 3, 3, 2, 2, 1, 1, 0, 0]);
  const labels = five([1, 1, 1, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0] as (0 | 1)[]);

  it('puts warm at the top share and hot at the largest group reaching the precision (hand-checked)', () => {
    // Top 30%: scores >= 7 flag 30 visitors (20 convert). Hot at 0.7: >= 8 flags 20 (15 convert, 0.75).
    expect(getLevelThresholds(scores, labels, { warmShare: 0.3, hotPrecision: 0.7 })).toEqual({
      warm: 7,
      hot: 8,
      hotPrecision: 0.7,
      hotReached: true,
    });
    // A share between two thresholds takes the one that flags no more than it.
    expect(getLevelThresholds(scores, labels, { warmShare: 0.35, hotPrecision: 0.7 }).warm).toBe(7);
  });

  it('makes hot the top quarter of warm, and says so, when no group reaches the precision', () => {
    // Half the top group does not convert: no group above warm (>= 5, 50 visitors) converts at 0.9, so hot
    // flags at most a quarter of warm's 50: >= 9, 10 visitors.
    const mixed = labels.map((y, i) => (i < 5 ? 0 : y));
    expect(getLevelThresholds(scores, mixed, { warmShare: 0.5, hotPrecision: 0.9 })).toEqual({
      warm: 5,
      hot: 9,
      hotPrecision: 0.9,
      hotReached: false,
    });
  });

  it('refuses scores that take fewer than 3 distinct values', () => {
    expect(() => getLevelThresholds([1, 1, 2, 2], [1, 0, 1, 0], { warmShare: 0.2, hotPrecision: 0.5 })).toThrow(
      'the held-out scores take only 2 distinct values (to 2 decimals of log-odds): the columns do not tell visitors apart; add rows or feature columns that vary',
    );
  });

  it('refuses when nothing lies a minimum gap above warm', () => {
    expect(() => getLevelThresholds([1, 1.05, 1.05, 0, 0, 0], [1, 1, 0, 0, 0, 0], { warmShare: 0.5, hotPrecision: 0.5 })).toThrow(
      `hot cannot be set apart from warm: no held-out score is ${MIN_LEVEL_GAP} log-odds above warm (1.000)`,
    );
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
    // On a site whose pages carry no kinds, minutes and coming back are the two kinds; page views never are one.
    expect(getBaselineScore([30, 9, 12], ['page_views', 'visits', 'page_minutes'], DEFAULT_MODEL).kinds).toBe(2);
    expect(getBaselineScore([30, 1, 12], ['page_views', 'visits', 'page_minutes'], DEFAULT_MODEL).kinds).toBe(1);
    expect(getBaselineScore([300, 1, 1], ['page_views', 'visits', 'page_minutes'], DEFAULT_MODEL).kinds).toBe(0);
  });
});

describe('calibrate on data it cannot use', () => {
  it('asks for more rows when a fold would have no conversion', () => {
    const data = readDataset('converted,visits\n1,2\n1,3\n0,1\n0,1\n0,2\n0,1\n');
    expect(() => calibrate(data, OPTIONS)).toThrow(CalibrateError);
    expect(() => calibrate(data, OPTIONS)).toThrow(
      '2 visitors converted and 4 did not: each of the 5 folds needs at least one of each; add rows or lower --folds',
    );
  });
});

describe('calibrate on degenerate data', () => {
  const random = createRandom(3);
  const visits = Array.from({ length: 600 }, () => 1 + Math.floor(12 * random() ** 2));
  const converted = visits.map((v) => random() < 0.15 + 0.04 * v);
  const csv = (header: string, cell: (i: number) => string) =>
    `converted,${header}\n` + visits.map((_, i) => `${converted[i]},${cell(i)}`).join('\n');

  it('refuses a file whose only feature is constant, instead of a huge intercept that calls everyone hot', () => {
    expect(() => calibrate(readDataset(csv('page_views', () => '3')), OPTIONS)).toThrow(
      'every feature column is constant (page_views is 3 on every row): there is nothing to learn from; add columns that vary between visitors',
    );
  });

  it('drops a constant column next to real ones, and says so', () => {
    const result = calibrate(readDataset(csv('page_views,visits', (i) => `3,${visits[i]}`)), OPTIONS);
    expect(result.dropped).toEqual([{ feature: 'page_views', reason: 'constant', equals: '3 on every row' }]);
    expect(Object.keys(result.model.weights)).toEqual(['visits']);
    expect(Math.abs(result.model.intercept)).toBeLessThan(20);
  });

  it('keeps warm and hot apart on a lone visits column, warm flagging at most its share', () => {
    const result = calibrate(readDataset(csv('visits', (i) => String(visits[i]))), OPTIONS);
    expect(result.thresholds.hot - result.thresholds.warm).toBeGreaterThanOrEqual(MIN_LEVEL_GAP);
    expect(result.fitted.warm.flagged).toBeLessThanOrEqual(0.2);
    expect(result.fitted.warm.flagged).toBeGreaterThan(0.05);
    expect(result.fitted.hot.flagged).toBeLessThan(result.fitted.warm.flagged);
    // Within the score scale: the written weight is a few points of log-odds, not thousands.
    expect(Math.abs(result.model.weights.visits!)).toBeLessThan(20);
  });

  it('refuses a column with too few values to carry two levels', () => {
    expect(() => calibrate(readDataset(csv('visits', (i) => String(Math.min(2, visits[i]!)))), OPTIONS)).toThrow(
      /held-out scores take only 2 distinct values|hot cannot be set apart from warm/,
    );
  });

  it('drops return_visits when it is visits - 1 on every row, and names the dependency', () => {
    const result = calibrate(readDataset(csv('visits,return_visits', (i) => `${visits[i]},${visits[i]! - 1}`)), OPTIONS);
    expect(result.dropped).toEqual([{ feature: 'return_visits', reason: 'dependent', equals: 'visits - 1' }]);
    expect(result.model.weights).not.toHaveProperty('return_visits');
    expect(result.model.weights.visits).toBeGreaterThan(0);
  });

  it('names a dependency on several columns', () => {
    const result = calibrate(
      readDataset(csv('visits,page_views,days_active', (i) => `${visits[i]},${(i * 7) % 13},${2 * visits[i]! + 0.5 * ((i * 7) % 13)}`)),
      OPTIONS,
    );
    expect(result.dropped).toEqual([{ feature: 'days_active', reason: 'dependent', equals: '2 × visits + 0.5 × page_views' }]);
  });

  it('warns when the fitted model does not beat the default held-out', () => {
    // Pricing decides, and the default weighs it; 60 visitors and four noise columns make the fit overfit.
    const noise = createRandom(11);
    const rows = Array.from({ length: 60 }, (_, i) => {
      const pricing = i % 3;
      const cells = [pricing, ...Array.from({ length: 4 }, () => Math.floor(noise() * 9))];
      return `${noise() < 0.1 + 0.3 * pricing},${cells.join(',')}`;
    });
    const result = calibrate(
      readDataset(['converted,pricing_views,article_views,article_minutes,days_active,days_since_last_seen', ...rows].join('\n')),
      { ...OPTIONS, folds: 3 },
    );
    expect(getMeanSd(result.fitted.auc).mean).toBeLessThanOrEqual(getMeanSd(result.baseline.auc).mean);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(
      /^The fitted model does not beat the default held-out \(ROC-AUC 0\.\d{3} against 0\.\d{3}\): keep the default model/,
    );
  });
});
