import { FEATURE_NAMES } from './feature-names.js';
import type { Model } from './types.js';

/** A model file that cannot be used. The message names the field and what it should be. */
export class ModelError extends Error {
  override name = 'ModelError';
}

type Json = Record<string, unknown>;

const isMap = (v: unknown): v is Json => typeof v == 'object' && v !== null && !Array.isArray(v);

const isText = (v: unknown, max: number): boolean => typeof v == 'string' && v.length > 0 && v.length <= max;

const isNumber = (v: unknown, min = -Infinity, max = Infinity): boolean =>
  Number.isFinite(v) && (v as number) >= min && (v as number) <= max;

function need(ok: boolean, field: string, expected: string, value: unknown): void {
  if (!ok) throw new ModelError(`model.${field}: expected ${expected}, got ${JSON.stringify(value)}`);
}

/**
 * Checks a model file (parsed JSON) and returns it typed. Throws a {@link ModelError} naming the first bad
 * field and what it should be: `model.levels.hot: expected a number from 0 to 100, got 120`.
 *
 * @example
 * const model = parseModel(JSON.parse(readFileSync('model.json', 'utf8')));
 */
export function parseModel(input: unknown): Model {
  need(isMap(input), 'kind', 'a model object, such as DEFAULT_MODEL', input);
  const m = input as Json;
  // Checks every entry of the map `m[field]`.
  const each = (field: string, ok: (value: unknown, key: string) => boolean, expected: string): void => {
    const map = m[field];
    need(isMap(map), field, 'an object', map);
    for (const key in map as Json) need(ok((map as Json)[key], key), field + '.' + key, expected, (map as Json)[key]);
  };
  const kind = m['kind'];
  need(kind == 'points' || kind == 'logistic', 'kind', '"points" or "logistic"', kind);
  need(isText(m['version'], 64), 'version', 'a name of 1 to 64 characters', m['version']);
  need(isNumber(m['halfLifeDays'], 1e-3), 'halfLifeDays', 'a number of days > 0', m['halfLifeDays']);
  const levels = m['levels'] as Record<string, number>;
  need(isMap(levels), 'levels', 'an object', levels);
  for (const key of ['warm', 'hot', 'warmExit', 'hotExit', 'minKinds']) {
    need(isNumber(levels[key], 0, 100), 'levels.' + key, 'a number from 0 to 100', levels[key]);
  }
  const { warm, hot, warmExit, hotExit } = levels;
  need(warmExit! <= warm! && warm! <= hot! && hotExit! <= hot!, 'levels', 'warmExit <= warm <= hot and hotExit <= hot', levels);
  each('conversions', (v) => isText(v, 120), 'a text of 1 to 120 characters');
  each('reasons', (v) => isText(v, 120), 'a text of 1 to 120 characters');
  if (kind == 'points') {
    each('points', (v) => Array.isArray(v) && v.length == 2 && isNumber(v[0]) && isNumber(v[1], 0), '[points, most points a day >= 0]');
  } else {
    need(isNumber(m['intercept']), 'intercept', 'a number', m['intercept']);
    each(
      'weights',
      (v, key) => isNumber(v) && FEATURE_NAMES.includes(key as never),
      `a number, keyed by a feature name (${FEATURE_NAMES.join(', ')})`,
    );
  }
  return m as unknown as Model;
}
