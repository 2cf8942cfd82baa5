import { arr, byKey, fail, json, literal, nullable, num, obj, optional, str } from './rules.js';
import type { JsonSchema, Rule, ValidationIssue } from './rules.js';
import { DAY_MS } from './time.js';
import { LIMITS, MAX_ACCOUNT_CHARS, WIRE_VERSION } from './wire.js';
import type { AnyEvent, Batch } from './wire.js';

export type { ValidationIssue } from './rules.js';

/** The outcome of validating untrusted input: the typed value, or every issue found (at most 20). */
export type ValidationResult<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[]; message: string };

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function date(): Rule {
  const base = str({ max: 40, pattern: ISO_DATE, format: 'date-time', describe: 'an ISO-8601 date-time' });
  return {
    schema: base.schema,
    check(v, path, issues) {
      const before = issues.length;
      base.check(v, path, issues);
      if (issues.length === before && Number.isNaN(Date.parse(v as string))) {
        fail(issues, path, 'format', 'an ISO-8601 date-time', v);
      }
    },
  };
}

const id = str({ min: 8, max: 64, pattern: /^[A-Za-z0-9_-]+$/, describe: 'an id of letters, digits, "-" and "_"' });
const ms = num({ min: 0, max: 7 * DAY_MS, integer: true });
const fraction = num({ min: 0, max: 1 });
const text = str({ max: LIMITS.MAX_TEXT_CHARS });
const url = str({ max: LIMITS.MAX_URL_CHARS });
const pageViewId = str({ max: 36, pattern: UUID_V7, describe: 'the id (UUIDv7) of a page_view' });
const props = json({ depth: LIMITS.MAX_PROPS_DEPTH, maxText: LIMITS.MAX_TEXT_CHARS * 4 });
const topic = str({ min: 1, max: LIMITS.MAX_TOPIC_CHARS });
const topics = optional(arr(topic, { max: LIMITS.MAX_TOPICS }));
const touch = obj({ source: text, medium: text, campaign: optional(text) });

// Trimmed, and never an e-mail address (an account is a company, not a person) nor a control character.
const ACCOUNT_ID = /^[^@\s\p{Cc}](?:[^@\p{Cc}]*[^@\s\p{Cc}])?$/u;

/**
 * An account id (`group`'s `accountId`, an event's `account`), with a message that says the rule it broke:
 * `events[2].account: expected 1–128 characters without an e-mail address, got "ada@northwind.com"`.
 */
function accountId(): Rule {
  const expected = `1–${MAX_ACCOUNT_CHARS} characters without an e-mail address`;
  return {
    schema: { type: 'string', minLength: 1, maxLength: MAX_ACCOUNT_CHARS, pattern: ACCOUNT_ID.source },
    check(v, path, issues) {
      if (typeof v !== 'string') return fail(issues, path, 'type', `a string of ${expected}`, v);
      if (v.length < 1 || v.length > MAX_ACCOUNT_CHARS)
        return fail(issues, path, v.length < 1 ? 'min' : 'max', expected, v.length < 1 ? v : `${v.length} characters`);
      if (v.includes('@')) return fail(issues, path, 'format', expected, v);
      if (!ACCOUNT_ID.test(v)) fail(issues, path, 'format', `${expected}, trimmed, without control characters`, v);
    },
  };
}

const account = accountId();

const propsByType: Record<string, Rule> = {
  page_view: obj({ nav: str({ max: 8, enum: ['load', 'spa', 'bfcache', 'resume'] }), topics }),
  page_engagement: obj({
    pageViewId,
    engagedMs: ms,
    attentiveMs: ms,
    scrollDepth: fraction,
    vitals: optional(obj({ lcp: optional(num({ min: 0 })), inp: optional(num({ min: 0 })), cls: optional(num({ min: 0 })) })),
  }),
  article_read: obj({
    pageViewId,
    words: num({ min: 0, integer: true }),
    expectedMs: ms,
    attentiveMs: ms,
    readRatio: num({ min: 0 }),
    scrollDepth: fraction,
    topics,
  }),
  visit_start: obj({
    visit: num({ min: 1, integer: true }),
    daysSinceLast: nullable(num({ min: 0, integer: true })),
    referrer: optional(url),
    utm: optional(
      obj({ source: optional(text), medium: optional(text), campaign: optional(text), term: optional(text), content: optional(text) }),
    ),
    firstTouch: touch,
    lastTouch: touch,
    idSource: str({ max: 8, enum: ['stored', 'new', 'memory'] }),
  }),
  track: obj({ name: str({ min: 1, max: 128 }) }, props),
  identify: obj({ userId: str({ min: 1, max: 256 }), traits: optional(obj({}, props)) }),
  group: obj({ accountId: account, traits: optional(obj({}, props)) }),
  intent: obj({
    score: num({ min: 0, max: 100 }),
    level: str({ max: 4, enum: ['cold', 'warm', 'hot'] }),
    previous: str({ max: 4, enum: ['cold', 'warm', 'hot'] }),
    reasons: arr(str({ max: 200 }), { max: 12 }),
    model: str({ min: 1, max: 64 }),
    topics: optional(
      arr(obj({ name: topic, reads: num({ min: 0, integer: true }), minutes: num({ min: 0, integer: true }), score: num({ min: 0 }) }), {
        max: LIMITS.MAX_TOPICS,
      }),
    ),
  }),
  forget: obj({}),
};

/** The event types this version of the wire format accepts. */
export const EVENT_TYPES = Object.freeze(Object.keys(propsByType)) as readonly AnyEvent['type'][];

const eventRules: Record<string, Rule> = {};
for (const [type, propsRule] of Object.entries(propsByType)) {
  eventRules[type] = obj({
    id: str({ max: 36, pattern: UUID_V7, describe: 'a UUIDv7 (lowercase, with dashes)' }),
    type: literal(type),
    ts: date(),
    visitor: id,
    session: id,
    user: optional(str({ min: 1, max: 256 })),
    account: optional(account),
    page: obj({
      path: str({ min: 1, max: LIMITS.MAX_URL_CHARS, pattern: /^\//, describe: 'a path starting with "/"' }),
      title: optional(text),
      referrer: optional(url),
      kind: str({ max: 32, pattern: /^[a-z][a-z0-9-]*$/, describe: 'a kind in lowercase letters, digits and "-"' }),
    }),
    props: propsRule,
  });
}

const eventRule = byKey('type', eventRules);

const batchRule = obj({
  v: literal(WIRE_VERSION),
  site: str({ min: 1, max: 128, pattern: /^[A-Za-z0-9._:-]+$/, describe: 'a site id of letters, digits, ".", ":", "-" and "_"' }),
  sentAt: date(),
  events: arr(eventRule, { min: 1, max: LIMITS.MAX_BATCH_EVENTS }),
});

function run<T>(rule: Rule, input: unknown, path: string): ValidationResult<T> {
  const issues: ValidationIssue[] = [];
  rule.check(input, path, issues);
  const first = issues[0];
  if (!first) return { ok: true, value: input as T };
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more issue${issues.length > 2 ? 's' : ''})` : '';
  return { ok: false, issues, message: first.message + more };
}

/**
 * Checks that `input` is a valid v1 batch. Never throws.
 *
 * @example
 * const result = validateBatch(JSON.parse(body));
 * if (!result.ok) return new Response(result.message, { status: 400 });
 */
export function validateBatch(input: unknown): ValidationResult<Batch> {
  return run<Batch>(batchRule, input, '');
}

/** Checks one event; `path` names it in messages (`events[3]`). Never throws. */
export function validateEvent(input: unknown, path = 'event'): ValidationResult<AnyEvent> {
  return run<AnyEvent>(eventRule, input, path);
}

/** The JSON Schema (draft 2020-12) of a v1 batch, generated from the same rules as `validateBatch`. */
export function getBatchSchema(): JsonSchema {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://inkling.dev/schema/batch.v1.json',
    title: 'Inkling batch, wire format v1',
    ...batchRule.schema,
  };
}
