/**
 * Tiny validation rules that also describe themselves as JSON Schema, so the validator and the published
 * schema cannot drift apart: `schema/batch.v1.json` is generated from the same rules.
 */

/** One reason an input was rejected. */
export interface ValidationIssue {
  /** Where: `events[3].ts`. */
  path: string;
  /** The rule broken, stable for programs: `type`, `required`, `format`, `max`, ... */
  rule: string;
  /** For people: `events[3].ts: expected an ISO-8601 date-time, got "yesterday"`. */
  message: string;
}

export type JsonSchema = { [key: string]: unknown };

export interface Rule {
  /** Appends an issue for every problem found in `value`. */
  check(value: unknown, path: string, issues: ValidationIssue[]): void;
  schema: JsonSchema;
  optional?: boolean;
}

const MAX_ISSUES = 20;

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text =
    typeof value === 'string'
      ? JSON.stringify(value)
      : Array.isArray(value)
        ? 'an array'
        : value === null
          ? 'null'
          : typeof value === 'object'
            ? 'an object'
            : String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function fail(issues: ValidationIssue[], path: string, rule: string, expected: string, value: unknown): void {
  if (issues.length >= MAX_ISSUES) return;
  issues.push({ path: path || 'body', rule, message: `${path || 'body'}: expected ${expected}, got ${show(value)}` });
}

export function str(o: {
  min?: number;
  max: number;
  pattern?: RegExp;
  format?: string;
  describe?: string;
  enum?: readonly string[];
}): Rule {
  const min = o.min ?? 0;
  const schema: JsonSchema = { type: 'string', maxLength: o.max };
  if (min) schema['minLength'] = min;
  if (o.pattern) schema['pattern'] = o.pattern.source;
  if (o.format) schema['format'] = o.format;
  if (o.enum) schema['enum'] = [...o.enum];
  return {
    schema,
    check(v, path, issues) {
      if (typeof v !== 'string') return fail(issues, path, 'type', 'a string', v);
      if (o.enum && !o.enum.includes(v)) return fail(issues, path, 'enum', `one of ${o.enum.join(', ')}`, v);
      if (v.length < min) return fail(issues, path, 'min', min === 1 ? 'a non-empty string' : `at least ${min} characters`, v);
      if (v.length > o.max) return fail(issues, path, 'max', `at most ${o.max} characters`, `${v.length} characters`);
      if (o.pattern && !o.pattern.test(v)) return fail(issues, path, 'format', o.describe ?? `a string matching ${o.pattern}`, v);
    },
  };
}

export function num(o: { min?: number; max?: number; integer?: boolean }): Rule {
  const schema: JsonSchema = { type: o.integer ? 'integer' : 'number' };
  if (o.min !== undefined) schema['minimum'] = o.min;
  if (o.max !== undefined) schema['maximum'] = o.max;
  return {
    schema,
    check(v, path, issues) {
      if (typeof v !== 'number' || !Number.isFinite(v)) return fail(issues, path, 'type', 'a finite number', v);
      if (o.integer && !Number.isInteger(v)) return fail(issues, path, 'integer', 'a whole number', v);
      if (o.min !== undefined && v < o.min) return fail(issues, path, 'min', `a number >= ${o.min}`, v);
      if (o.max !== undefined && v > o.max) return fail(issues, path, 'max', `a number <= ${o.max}`, v);
    },
  };
}

export function literal(value: number | string): Rule {
  return {
    schema: { const: value },
    check(v, path, issues) {
      if (v !== value) fail(issues, path, 'const', JSON.stringify(value), v);
    },
  };
}

export function nullable(rule: Rule): Rule {
  return {
    schema: { anyOf: [rule.schema, { type: 'null' }] },
    check(v, path, issues) {
      if (v !== null) rule.check(v, path, issues);
    },
  };
}

export function optional(rule: Rule): Rule {
  return { ...rule, optional: true };
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An object with known keys; unknown keys are rejected unless `extra` says how to check them. */
export function obj(shape: Record<string, Rule>, extra?: Rule): Rule {
  const required = Object.keys(shape).filter((k) => !shape[k]?.optional);
  const properties: JsonSchema = {};
  for (const [k, rule] of Object.entries(shape)) properties[k] = rule.schema;
  const schema: JsonSchema = { type: 'object', properties, additionalProperties: extra ? extra.schema : false };
  if (required.length) schema['required'] = required;
  return {
    schema,
    check(v, path, issues) {
      if (!isPlainObject(v)) return fail(issues, path, 'type', 'an object', v);
      for (const [k, rule] of Object.entries(shape)) {
        const child = join(path, k);
        if (v[k] === undefined) {
          if (!rule.optional) fail(issues, child, 'required', 'a value (it is required)', undefined);
        } else rule.check(v[k], child, issues);
      }
      for (const k of Object.keys(v)) {
        if (Object.hasOwn(shape, k)) continue;
        const child = join(path, k);
        if (extra) extra.check(v[k], child, issues);
        else if (issues.length < MAX_ISSUES)
          issues.push({ path: child, rule: 'unknown', message: `${child}: is not a known field; remove it` });
      }
    },
  };
}

export function arr(item: Rule, o: { min?: number; max: number }): Rule {
  const schema: JsonSchema = { type: 'array', items: item.schema, maxItems: o.max };
  if (o.min) schema['minItems'] = o.min;
  return {
    schema,
    check(v, path, issues) {
      if (!Array.isArray(v)) return fail(issues, path, 'type', 'an array', v);
      if (v.length < (o.min ?? 0)) return fail(issues, path, 'min', `at least ${o.min} item(s)`, 'an empty array');
      if (v.length > o.max) return fail(issues, path, 'max', `at most ${o.max} items`, `${v.length} items`);
      v.forEach((x, i) => item.check(x, `${path}[${i}]`, issues));
    },
  };
}

/** Any JSON value, with bounded nesting and bounded strings. */
export function json(o: { depth: number; maxText: number }): Rule {
  function walk(v: unknown, path: string, depth: number, issues: ValidationIssue[]): void {
    if (v === null || typeof v === 'boolean') return;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) fail(issues, path, 'type', 'a finite number', v);
      return;
    }
    if (typeof v === 'string') {
      if (v.length > o.maxText) fail(issues, path, 'max', `at most ${o.maxText} characters`, `${v.length} characters`);
      return;
    }
    if (depth >= o.depth) return fail(issues, path, 'depth', `at most ${o.depth} levels of nesting`, v);
    if (Array.isArray(v)) return v.forEach((x, i) => walk(x, `${path}[${i}]`, depth + 1, issues));
    if (isPlainObject(v)) {
      for (const [k, x] of Object.entries(v)) walk(x, join(path, k), depth + 1, issues);
      return;
    }
    fail(issues, path, 'type', 'a JSON value', v);
  }
  return {
    schema: { description: `Any JSON value, nested at most ${o.depth} levels, strings at most ${o.maxText} characters.` },
    check: (v, path, issues) => walk(v, path, 0, issues),
  };
}

/** Picks the rule for an object from the value of one of its keys (a discriminated union). */
export function byKey(key: string, cases: Record<string, Rule>): Rule {
  const names = Object.keys(cases);
  return {
    schema: { oneOf: names.map((n) => cases[n]?.schema) },
    check(v, path, issues) {
      if (!isPlainObject(v)) return fail(issues, path, 'type', 'an object', v);
      const name = v[key];
      const rule = typeof name === 'string' && Object.hasOwn(cases, name) ? cases[name] : undefined;
      if (!rule) return fail(issues, join(path, key), v[key] === undefined ? 'required' : 'enum', `one of ${names.join(', ')}`, v[key]);
      rule.check(v, path, issues);
    },
  };
}
