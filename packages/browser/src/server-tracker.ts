import { createProfile, DEFAULT_MODEL, scoreProfile } from '@inkling/core';
import { check, checkOptions } from './options.js';
import type { TrackerOptions } from './options.js';
import type { Tracker } from './tracker.js';

let said = false;

/**
 * What `createTracker()` returns where there is no `window` (a server rendering a page, a worker): the same API,
 * doing nothing, so a component can create its tracker during server rendering and the browser's render of the
 * same code tracks. `getIntent()` answers what a new visitor's tracker does (cold, score 0, no reasons) and
 * `onIntent()` never calls back. Options are checked as in the browser, except what needs a page to check.
 */
export function createServerTracker(options: TrackerOptions): Tracker {
  check(options && typeof options === 'object', 'E7', 'options', options);
  // An element, a selector and a relative endpoint can only be checked against a page.
  checkOptions({ ...options, scrollRoot: undefined });
  const { endpoint } = options;
  check(endpoint == null ? options.transports?.length : typeof endpoint === 'string', 'E2', 'endpoint', endpoint);
  if (options.debug && !said) {
    said = true;
    // Once per process: a server renders many pages.
    console.debug('[inkling] no window here (server rendering?): this tracker does nothing; it tracks in the browser.');
  }
  const intent = scoreProfile(createProfile(), options.model ?? DEFAULT_MODEL, Date.now());
  const none = () => {};
  const done = () => Promise.resolve();
  return {
    track: none,
    identify: none,
    group: none,
    page: none,
    flush: done,
    consent: none,
    forget: done,
    getStats: () => ({ queued: 0, sent: 0, retried: 0, dropped: {}, transports: {} }),
    getIntent: () => intent,
    onIntent: () => none,
    vitals: none,
    stop: none,
  };
}
