import { validateBatch, validateEvent } from '@inkling/core';
import type { Batch, ValidationIssue, ValidationResult } from '@inkling/core';
import { RequestError } from '../errors.js';

/** An event the collector refused while storing the rest of its batch, named by its place in `events`. */
export interface RejectedEvent {
  /** Its index in the batch's `events`. */
  index: number;
  /** Why, stable for programs: `invalid_event` (the event broke the wire format). */
  code: 'invalid_event';
  /** For people: `events[3].ts: expected an ISO-8601 date-time, got "yesterday"`. */
  message: string;
  /** Every issue found in the event. */
  issues: ValidationIssue[];
}

function invalid(result: Extract<ValidationResult<unknown>, { ok: false }>): RequestError {
  return new RequestError('invalid_batch', 400, result.message, { issues: result.issues });
}

/**
 * Validates a batch event by event, so that one bad event does not cost the good ones: the batch's own fields
 * (`v`, `site`, `sentAt`, the `events` list) must be valid, and then every valid event is kept and every invalid one
 * is reported by index. Throws 400 `invalid_batch` when the batch's own fields are wrong or no event is valid —
 * then there is nothing to store, and a 400 tells the client so.
 */
export function validateEvents(input: unknown): { batch: Batch; rejected: RejectedEvent[] } {
  const whole = validateBatch(input);
  if (whole.ok) return { batch: whole.value, rejected: [] };
  const events = (input as { events?: unknown } | null)?.events;
  if (!Array.isArray(events)) throw invalid(whole);
  const valid: Batch['events'] = [];
  const rejected: RejectedEvent[] = [];
  events.forEach((event, index) => {
    const result = validateEvent(event, `events[${index}]`);
    if (result.ok) valid.push(result.value);
    else rejected.push({ index, code: 'invalid_event', message: result.message, issues: result.issues });
  });
  if (valid.length === 0) throw invalid(whole);
  // The batch's own fields, checked with one event known to be valid in place of the list.
  const envelope = validateBatch({ ...(input as object), events: [valid[0]] });
  if (!envelope.ok) throw invalid(envelope);
  return { batch: { ...envelope.value, events: valid }, rejected };
}
