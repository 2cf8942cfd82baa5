import { listen } from '../lib/listen.js';
import { getBackoffMs, parseRetryAfter } from './retry.js';

/** Network errors in a row, while the browser says it is online, before sending pauses (an ad blocker, a dead host). */
export const NETWORK_ERRORS_TO_PAUSE = 3;

export interface Backoff {
  /** No send before this time, Unix ms. */
  _retryAt: number;
  /** Whether sending may go on: online, and not paused after network errors in a row. */
  _ready(): boolean;
  /** A send was delivered: no more waiting. */
  _succeeded(): void;
  /**
   * A send is to be retried: waits as `Retry-After` says, else the next step of the backoff. Returns the
   * network errors in a row when this one paused sending, else 0.
   */
  _failed(status: number, retryAfter: string | null | undefined): number;
  _stop(): void;
}

/**
 * One queue's waiting between failed sends: exponential backoff with jitter, `Retry-After`, and a pause
 * after repeated network errors (nothing answers; no use trying every few minutes) that lifts when the
 * browser comes back online, where `onOnline` resumes sending.
 */
export function createBackoff(onOnline: () => void): Backoff {
  let attempt = 0;
  let networkErrors = 0;
  let paused = false;
  const self: Backoff = {
    _retryAt: 0,
    _ready: () => !paused && navigator.onLine,
    _succeeded() {
      attempt = networkErrors = 0;
    },
    _failed(status, retryAfter) {
      // Errors while the browser is offline do not count: nothing is wrong with the host.
      const pause = navigator.onLine && !status && ++networkErrors >= NETWORK_ERRORS_TO_PAUSE;
      if (pause) paused = true;
      self._retryAt = Date.now() + (parseRetryAfter(retryAfter) ?? getBackoffMs(attempt++));
      return pause ? networkErrors : 0;
    },
    _stop: listen(window, 'online', () => {
      paused = false;
      networkErrors = attempt = self._retryAt = 0;
      onOnline();
    }),
  };
  return self;
}
