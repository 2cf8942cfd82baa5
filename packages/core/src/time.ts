/** Milliseconds in a second. */
export const SECOND_MS = 1000;
/** Milliseconds in a minute. */
export const MINUTE_MS = 60 * SECOND_MS;
/** Milliseconds in an hour. */
export const HOUR_MS = 60 * MINUTE_MS;
/** Milliseconds in a day. The intent model's day buckets are UTC days of this length (no leap seconds in `Date`). */
export const DAY_MS = 24 * HOUR_MS;
