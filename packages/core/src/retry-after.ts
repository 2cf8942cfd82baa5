import { SECOND_MS } from './time.js';

/**
 * Milliseconds to wait from a `Retry-After` header (RFC 9110 section 10.2.3): delay-seconds or an HTTP-date,
 * between 0 and `maxMs`; `undefined` when the header is absent or unreadable. The cap is the caller's policy: the
 * browser's queue waits at most a day, the receiver's webhook outbox at most its longest retry step.
 *
 * @example
 * parseRetryAfter('120', Date.now(), 86_400_000); // 120000
 * parseRetryAfter('Wed, 21 Oct 2026 07:28:00 GMT', Date.now(), 86_400_000); // until then, at most a day
 */
export function parseRetryAfter(value: string | null | undefined, now: number, maxMs: number): number | undefined {
  if (!value) return undefined;
  const text = value.trim();
  const ms = /^\d+$/.test(text) ? Number(text) * SECOND_MS : Date.parse(text) - now;
  // NaN (a date that does not parse) is the one number not equal to itself; shorter than Number.isNaN in the script tag.
  return ms != ms ? undefined : Math.min(maxMs, Math.max(0, ms));
}
