import { applyEvent, createProfile, scoreProfile } from '@inkling/core';
import type { AnyEvent, Intent, IntentLevel, Model, Profile } from '@inkling/core';
import { promisifyRequest } from 'idb-keyval';
import type { UseStore } from 'idb-keyval';
import { getErrorMessage } from './errors/messages.js';
import { writeMany } from './queue/store.js';
import { now } from './lib/now.js';

export interface IntentState {
  /** Folds one of this tab's events in, stores it, and rescores (once the stored profile is read). */
  _apply(event: AnyEvent): void;
  _get(): Intent;
  /** Forgets the profile (erasure): back to cold, and everything stored cleared. */
  _reset(): void;
}

// Stored keys: the profile as of the last page load, the events folded in since (one record each), and
// the level last reported.
const PROFILE = 'profile';
const LEVEL = 'level';
const EVENT_PREFIX = 'e:';

/**
 * The visitor's intent in this browser: a profile built from their events and scored with the same model
 * as the server's, so a site can react at once (show a chat prompt when warm). Mirrored as
 * `<html data-inkling-intent="warm">`.
 *
 * Storage is write-only while the page runs: each event is appended as its own record, committed at once,
 * and folded into the stored profile by the next page load. So tabs adding events at once lose nothing and
 * count nothing twice, and no read-modify-write transaction is ever open when a page is frozen into the
 * back/forward cache (Chrome evicts a frozen page whose transaction blocks another tab).
 *
 * @param onChange - called with the new intent when the level changes (the tracker sends an `intent` event and
 *   calls the page's `onIntent` listeners)
 */
export function createIntent(
  model: Model,
  store: UseStore,
  onChange: (intent: Intent) => void,
  report: (error: unknown) => void,
): IntentState {
  let profile: Profile = createProfile();
  let level: IntentLevel = 'cold';
  let intent: Intent;
  // Events of this tab applied before the stored profile was read.
  let early: AnyEvent[] | undefined = [];
  // Not scored before the stored profile is read (a page load's visit_start and page_view are scored once,
  // with it), unless asked: `_get` scores what changed at once.
  let dirty = true;

  const rescore = () => {
    dirty = false;
    intent = scoreProfile(profile, model, now(), level);
    // Written only when it changes: each write is a mutation the page's observers see.
    const root = document.documentElement.dataset;
    if (root['inklingIntent'] !== intent.level) root['inklingIntent'] = intent.level;
    if (intent.level === level) return;
    level = intent.level;
    save([[LEVEL, level]]);
    onChange(intent);
  };

  const save = (entries: Array<[string, unknown]>) => writeMany(entries, store).catch(report);

  // Read the profile, fold in the events appended since (by any tab), and store the result.
  store('readwrite', (s) => {
    const appended = IDBKeyRange.bound(EVENT_PREFIX, `${EVENT_PREFIX}\uffff`);
    return Promise.all([promisifyRequest(s.get(PROFILE)), promisifyRequest(s.getAll(appended)), promisifyRequest(s.get(LEVEL))]).then(
      ([stored, events, storedLevel]: [Profile | undefined, AnyEvent[], IntentLevel | undefined]) => {
        const folded = stored ?? createProfile();
        events.forEach((e) => applyEvent(folded, e, model));
        s.put(folded, PROFILE);
        s.delete(appended);
        s.transaction.commit?.();
        profile = folded;
        // Keep the level already reported (by an earlier page or another tab): it is announced once.
        level = storedLevel ?? level;
        early!.forEach((e) => applyEvent(profile, e, model));
      },
    );
  })
    .catch(report)
    .finally(() => {
      early = undefined;
      rescore();
    });

  return {
    _apply(event) {
      applyEvent(profile, event, model);
      save([[EVENT_PREFIX + event.id, event]]);
      dirty = true;
      if (early) early.push(event);
      else rescore();
    },
    _get: () => (dirty && rescore(), intent),
    _reset() {
      profile = createProfile();
      level = 'cold';
      store('readwrite', (s) => s.clear()).catch(report);
      rescore();
    },
  };
}

/**
 * The page's `onIntent` callbacks. Returns, in order:
 * - `add(callback)`: adds one (E23 unless it is a function); returns a function that removes it;
 * - `call(intent)`: calls each, reporting what one throws, so the others still run.
 */
export function createIntentListeners(report: (error: unknown) => void) {
  const listeners = new Set<(intent: Intent) => void>();
  return [
    (callback: (intent: Intent) => void) => {
      if (typeof callback !== 'function') throw new TypeError(getErrorMessage('E23'));
      listeners.add(callback);
      return () => void listeners.delete(callback);
    },
    (intent: Intent) =>
      listeners.forEach((callback) => {
        try {
          callback(intent);
        } catch (error) {
          report(error);
        }
      }),
  ] as const;
}
