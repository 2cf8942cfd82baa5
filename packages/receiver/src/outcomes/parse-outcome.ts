import { MAX_OUTCOME_NOTE_LENGTH } from '../store/types.js';
import type { OutcomeKind } from '../store/types.js';

/** An outcome as the lead API and the CRM import accept it, before it is tied to a lead. */
export interface OutcomeFields {
  outcome: OutcomeKind;
  at: number;
  value?: number;
  note?: string;
}

/** A field that broke a rule: `field` is its name, `rule` what it must be and what was given. */
export class OutcomeFieldError extends Error {
  readonly field: string;
  readonly rule: string;

  constructor(field: string, rule: string) {
    super(`${field}: ${rule}`);
    this.name = 'OutcomeFieldError';
    this.field = field;
    this.rule = rule;
  }
}

/** The fields an outcome may have. */
export const OUTCOME_FIELDS = ['outcome', 'at', 'value', 'note'] as const;

/** Words a CRM export uses for the two outcomes, lower-case. */
const KINDS = new Map<string, OutcomeKind>([
  ['converted', 'converted'],
  ['won', 'converted'],
  ['lost', 'lost'],
]);

/** A date (midnight UTC) or an ISO-8601 date-time with its zone: a date without a zone means a different moment on every server. */
const ISO_DATE = /^\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d))?$/;

/**
 * A clock a little ahead of the receiver's is no reason to refuse an outcome, a date days ahead is a typo: 5 minutes,
 * the same tolerance as a signed webhook's timestamp.
 */
const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

const show = (value: unknown): string =>
  typeof value === 'string' ? JSON.stringify(value.slice(0, 64)) : (JSON.stringify(value) ?? String(value));

/**
 * Checks an outcome's fields, from a JSON body or a CSV row (where every value is text): `outcome` is `converted`
 * or `lost` (`won` is read as converted), `at` an ISO-8601 date or date-time with its zone, not in the future
 * (default `nowMs`), `value` a number >= 0, `note` at most {@link MAX_OUTCOME_NOTE_LENGTH} characters. Throws an
 * {@link OutcomeFieldError} naming the first bad field.
 */
export function parseOutcome(input: Record<string, unknown>, nowMs: number): OutcomeFields {
  for (const key of Object.keys(input)) {
    if (!(OUTCOME_FIELDS as readonly string[]).includes(key))
      throw new OutcomeFieldError(key, `unknown field; an outcome has ${OUTCOME_FIELDS.join(', ')}`);
  }
  const kind = typeof input['outcome'] === 'string' ? KINDS.get(input['outcome'].trim().toLowerCase()) : undefined;
  if (!kind) throw new OutcomeFieldError('outcome', `expected "converted" or "lost", got ${show(input['outcome'])}`);
  const fields: OutcomeFields = { outcome: kind, at: nowMs };

  const at = input['at'];
  if (at !== undefined && at !== '') {
    const ms = typeof at === 'string' && ISO_DATE.test(at.trim()) ? Date.parse(at.trim()) : NaN;
    if (!Number.isFinite(ms))
      throw new OutcomeFieldError('at', `expected an ISO-8601 date such as 2026-11-01 or 2026-11-01T14:30:00Z, got ${show(at)}`);
    if (ms > nowMs + FUTURE_TOLERANCE_MS)
      throw new OutcomeFieldError('at', `${at} is in the future; give the time the lead converted or was lost`);
    fields.at = ms;
  }

  const value = input['value'];
  if (value !== undefined && value !== null && value !== '') {
    const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
    if (!Number.isFinite(n) || n < 0)
      throw new OutcomeFieldError('value', `expected a number >= 0 (the deal's value, no currency sign), got ${show(value)}`);
    fields.value = n;
  }

  const note = input['note'];
  if (note !== undefined && note !== null && note !== '') {
    if (typeof note !== 'string') throw new OutcomeFieldError('note', `expected a text, got ${show(note)}`);
    if (note.length > MAX_OUTCOME_NOTE_LENGTH)
      throw new OutcomeFieldError('note', `expected at most ${MAX_OUTCOME_NOTE_LENGTH} characters, got ${note.length}`);
    fields.note = note;
  }
  return fields;
}
