import { DAY_MS, parseRetryAfter as parseHeader } from '@inkling/core';

/** First retry waits up to this long; each next one up to twice as long... */
export const RETRY_BASE_MS = 1000;
/** ...but never more than 5 minutes, so a visitor who stays gets their events delivered. */
export const RETRY_MAX_MS = 300_000;
/** A `Retry-After` longer than a day is treated as a day: the queue keeps events for 7 days at most. */
export const RETRY_AFTER_MAX_MS = DAY_MS;

/** Full-jitter backoff (AWS Architecture Blog, "Exponential Backoff and Jitter"): random(0, min(cap, base x 2^n)). */
export const getBackoffMs = (attempt: number, random = Math.random): number =>
  Math.floor(random() * Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** attempt));

/** Milliseconds to wait from a `Retry-After` header, at most {@link RETRY_AFTER_MAX_MS}; undefined if absent or unreadable. */
export const parseRetryAfter = (value: string | null | undefined, now = Date.now()): number | undefined =>
  parseHeader(value, now, RETRY_AFTER_MAX_MS);

/** What to do with a batch after a send, from its HTTP status (0: the request failed). */
export type Outcome = 'ok' | 'retry' | 'split' | 'drop';

/**
 * The status table: 2xx delivered; 408, 425, 429, 5xx and network errors retried; 413 split in half;
 * any other status dropped (counted as `rejected`) because sending the same events again cannot help.
 */
export function classifyStatus(status: number): Outcome {
  if (status >= 200 && status < 300) return 'ok';
  if (status == 413) return 'split';
  return !status || status >= 500 || status == 408 || status == 425 || status == 429 ? 'retry' : 'drop';
}
