/**
 * When to try a webhook again. The Standard Webhooks schedule: immediately, then 5 s, 5 min, 30 min, 2 h, 5 h,
 * 10 h and 10 h after each failure (8 attempts over about 28 hours), plus jitter so endpoints that fail together
 * are not retried in lockstep.
 */

import { HOUR_MS as H, MINUTE_MS as MIN, SECOND_MS as S } from '@inkling/core';

/** Delay before each attempt, from the first (immediate) to the eighth. */
export const RETRY_SCHEDULE_MS: readonly number[] = [0, 5 * S, 5 * MIN, 30 * MIN, 2 * H, 5 * H, 10 * H, 10 * H];

/** Jitter added to a delay: up to 10 % of it, never earlier than the schedule. */
const JITTER_FRACTION = 0.1;

/** A consumer's `Retry-After` is honoured up to the longest step of the schedule, so it cannot park a message forever. */
export const MAX_RETRY_AFTER_MS = 10 * H;

/**
 * When to make the next attempt after `attempts` attempts failed, or `undefined` when the schedule is used up.
 * `retryAfterMs` (from the consumer) pushes it later, never earlier.
 */
export function getNextAttemptAt(
  attempts: number,
  now: number,
  retryAfterMs: number | undefined,
  random: () => number,
): number | undefined {
  const delay = RETRY_SCHEDULE_MS[attempts];
  if (delay === undefined) return undefined;
  const jittered = delay + Math.floor(delay * JITTER_FRACTION * random());
  return now + Math.max(jittered, retryAfterMs ?? 0);
}
