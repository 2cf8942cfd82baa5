import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL } from './default-model.js';
import { FEATURE_NAMES } from './feature-names.js';
import { ModelError, parseModel } from './parse-model.js';

// The model as loose JSON, so a test can break any field of it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const copy = (): Record<string, any> => JSON.parse(JSON.stringify(DEFAULT_MODEL));
const logistic = () => ({
  ...copy(),
  kind: 'logistic',
  version: 'calibrated-1',
  intercept: -3.2,
  weights: { pricing_views: 1.1, careers_views: -0.4 },
});

function message(input: unknown): string {
  try {
    parseModel(input);
  } catch (e) {
    expect(e).toBeInstanceOf(ModelError);
    return (e as ModelError).message;
  }
  throw new Error('parseModel accepted it');
}

describe('parseModel', () => {
  it('accepts the default model as JSON, and a logistic model', () => {
    expect(parseModel(copy())).toEqual(DEFAULT_MODEL);
    expect(parseModel(logistic())).toMatchObject({ kind: 'logistic', intercept: -3.2 });
  });

  it('names the field and what it should be', () => {
    expect(message(null)).toBe('model.kind: expected a model object, such as DEFAULT_MODEL, got null');
    expect(message({ ...copy(), kind: 'neural' })).toBe('model.kind: expected "points" or "logistic", got "neural"');
    expect(message({ ...copy(), version: '' })).toBe('model.version: expected a name of 1 to 64 characters, got ""');
    expect(message({ ...copy(), version: 7 })).toBe('model.version: expected a name of 1 to 64 characters, got 7');
    expect(message({ ...copy(), halfLifeDays: 0 })).toBe('model.halfLifeDays: expected a number of days > 0, got 0');
    expect(message({ ...copy(), halfLifeDays: '30' })).toBe('model.halfLifeDays: expected a number of days > 0, got "30"');
  });

  it('checks every level and their order', () => {
    const levels = (patch: object) => ({ ...copy(), levels: { ...DEFAULT_MODEL.levels, ...patch } });
    expect(message({ ...copy(), levels: undefined })).toBe('model.levels: expected an object, got undefined');
    expect(message(levels({ hot: 120 }))).toBe('model.levels.hot: expected a number from 0 to 100, got 120');
    expect(message(levels({ minKinds: undefined }))).toBe('model.levels.minKinds: expected a number from 0 to 100, got undefined');
    expect(message(levels({ warm: 85 }))).toMatch(/^model\.levels: expected warmExit <= warm <= hot and hotExit <= hot, got \{"warm":85,/);
    expect(message(levels({ warmExit: 60 }))).toMatch(/^model\.levels: expected warmExit <= warm <= hot/);
    expect(message(levels({ hotExit: 90 }))).toMatch(/^model\.levels: expected warmExit <= warm <= hot and hotExit <= hot/);
  });

  it('checks conversions and reason templates', () => {
    expect(message({ ...copy(), conversions: ['demo_request'] })).toBe('model.conversions: expected an object, got ["demo_request"]');
    expect(message({ ...copy(), conversions: { demo_request: true } })).toBe(
      'model.conversions.demo_request: expected a text of 1 to 120 characters, got true',
    );
    expect(message({ ...copy(), reasons: { pricing_views: 'x'.repeat(121) } })).toMatch(
      /^model\.reasons\.pricing_views: expected a text of 1 to 120 characters/,
    );
  });

  it('checks points as [points, most points a day]', () => {
    const points = (patch: object) => ({ ...copy(), points: { ...DEFAULT_MODEL.points, ...patch } });
    expect(message(points({ pricing_views: 15 }))).toBe('model.points.pricing_views: expected [points, most points a day >= 0], got 15');
    expect(message(points({ careers_views: [-10, -50] }))).toBe(
      'model.points.careers_views: expected [points, most points a day >= 0], got [-10,-50]',
    );
    expect(message(points({ docs_views: [4, 12, 1] }))).toMatch(/^model\.points\.docs_views: /);
    expect(message({ ...copy(), points: undefined })).toBe('model.points: expected an object, got undefined');
  });

  it('checks a logistic model names only known features', () => {
    expect(message({ ...logistic(), intercept: null })).toBe('model.intercept: expected a number, got null');
    expect(message({ ...logistic(), weights: { pricing_views: '1' } })).toMatch(
      /^model\.weights\.pricing_views: expected a number, keyed by a feature name/,
    );
    const unknown = message({ ...logistic(), weights: { pricing_view: 1 } });
    expect(unknown).toMatch(/^model\.weights\.pricing_view: expected a number, keyed by a feature name \(page_views, /);
    for (const name of FEATURE_NAMES) expect(unknown).toContain(name);
  });
});
