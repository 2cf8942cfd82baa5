import { parseRetryAfter } from '@inkling/core';
import { listen } from '../lib/listen.js';
import { getBackoffMs, RETRY_AFTER_MAX_MS } from './retry.js';
import { now } from '../lib/now.js';

/** Network errors in a row, while the browser says it is online, before sending pauses (an ad blocker, a dead host). */
export const NETWORK_ERRORS_TO_PAUSE = 3;

/**
 * A queue's waiting between failed sends: no send before the retry time (exponential backoff with jitter, or
 * as `Retry-After` says), and a pause after NETWORK_ERRORS_TO_PAUSE network errors in a row, until the
 * browser comes back online; then it waits no more and calls `onResume`. Returns, in order:
 * - `ready()`: whether sending may go on (online, and not paused);
 * - `retryAt()`: no send before this (Unix ms);
 * - `succeeded()`: a batch was delivered, so the next failure starts over;
 * - `failed(networkError, retryAfter)`: a batch is to be retried; returns the network errors in a row when
 *   this one paused sending;
 * - `stop()`: stops listening for `online`.
 */
export function createBackoff(onResume: () => void) {
  let retryAt = 0;
  let attempt = 0;
  let networkErrors = 0;
  let paused = false;
  return [
    () => !paused && navigator.onLine,
    () => retryAt,
    () => {
      attempt = networkErrors = 0;
    },
    (networkError: boolean, retryAfter: string | null | undefined) => {
      const pause = networkError && ++networkErrors >= NETWORK_ERRORS_TO_PAUSE;
      retryAt = now() + (parseRetryAfter(retryAfter, now(), RETRY_AFTER_MAX_MS) ?? getBackoffMs(attempt++));
      paused ||= pause;
      return pause && networkErrors;
    },
    listen(window, 'online', () => {
      paused = false;
      networkErrors = attempt = retryAt = 0;
      onResume();
    }),
  ] as const;
}
