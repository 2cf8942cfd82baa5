import { DAY_MS } from '@inkling/core';

/**
 * Clock-skew correction. A device clock can be off by minutes or years; only differences on the same clock can be
 * trusted. `sentAt - ts` is how long before sending the event happened, so on the receiver's clock it happened at
 * `receivedAt - (sentAt - ts)` (network time is ignored: it is milliseconds against a queue that may hold events
 * for days).
 */

/**
 * The oldest a corrected event may be: the client's 7-day queue limit plus a day of slack. Anything older is
 * clamped to this age (and flagged), so a device whose clock jumped during a queue's life cannot place events
 * months back, where decay would silently erase them.
 */
export const MAX_EVENT_AGE_MS = 8 * DAY_MS;

/** A corrected time and whether it had to be clamped. */
export interface CorrectedTime {
  ts: number;
  clamped: boolean;
}

/**
 * `receivedAt - (sentAt - ts)`, clamped to `[receivedAt - MAX_EVENT_AGE_MS, receivedAt]`: an event cannot have
 * happened after the receiver got it (that would mean it was made after its batch was sent).
 */
export function correctTime(ts: string, sentAt: string, receivedAt: number): CorrectedTime {
  const corrected = receivedAt - (Date.parse(sentAt) - Date.parse(ts));
  if (!Number.isFinite(corrected)) return { ts: receivedAt, clamped: true };
  if (corrected > receivedAt) return { ts: receivedAt, clamped: true };
  if (corrected < receivedAt - MAX_EVENT_AGE_MS) return { ts: receivedAt - MAX_EVENT_AGE_MS, clamped: true };
  return { ts: Math.round(corrected), clamped: false };
}
