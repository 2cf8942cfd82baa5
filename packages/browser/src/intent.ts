import { applyEvent, createProfile, scoreProfile } from '@inkling/core';
import type { AnyEvent, Intent, IntentLevel, Model, Profile } from '@inkling/core';
import type { UseStore } from 'idb-keyval';
import { update } from './queue/store.js';

export interface IntentState {
  /** Folds one of this tab's events in, stores it, and rescores. */
  _apply(event: AnyEvent): void;
  _get(): Intent;
  _on(callback: (intent: Intent) => void): () => void;
  /** Forgets the profile (erasure): back to cold, and the stored profile cleared. */
  _reset(): void;
}

// Stored with the queue, under one key; short keys, since they are persisted.
interface Stored {
  /** The profile. */
  p: Profile;
  /** The level last reported, so hysteresis and "level changed" hold across pages and tabs. */
  l: IntentLevel;
}

/**
 * The visitor's intent in this browser: a profile built from their events and scored with the same model
 * as the server's, so a site can react at once (show a chat prompt when warm). Mirrored as
 * `<html data-inkling-intent="warm">`. Each tab folds in only its own events, inside one IndexedDB
 * transaction, so tabs updating the profile at once lose nothing and count nothing twice.
 *
 * @param onChange - called with the new intent when the level changes (the tracker sends an `intent` event)
 */
export function createIntent(model: Model, store: UseStore | undefined, onChange: (intent: Intent) => void, report: (error: unknown) => void): IntentState {
  const listeners = new Set<(intent: Intent) => void>();
  let profile = createProfile();
  let level: IntentLevel = 'cold';
  let intent = scoreProfile(profile, model, Date.now());
  // This tab's events not yet in the stored profile.
  let unsaved: AnyEvent[] = [];
  let saving: Promise<unknown> | undefined;
  let loaded = false;

  const rescore = () => {
    intent = scoreProfile(profile, model, Date.now(), level);
    document.documentElement.dataset['inklingIntent'] = intent.level;
    if (intent.level === level) return;
    level = intent.level;
    onChange(intent);
    listeners.forEach((callback) => {
      try {
        callback(intent);
      } catch (error) {
        report(error);
      }
    });
  };

  // Writes this tab's new events into the stored profile (which other tabs may have changed) and takes
  // the result, with the events that arrived meanwhile, as this tab's view.
  const save = (): unknown =>
    store &&
    (saving ??= Promise.resolve().then(() => {
      const batch = unsaved;
      unsaved = [];
      return update<Stored>(
        'profile',
        (old) => {
          const p = old?.p ?? createProfile();
          batch.forEach((e) => applyEvent(p, e, model));
          // On the first load, keep the level already reported (by an earlier page or another tab).
          return { p, l: loaded ? level : (old?.l ?? level) };
        },
        store,
      )
        .then((stored) => {
          profile = stored.p;
          unsaved.forEach((e) => applyEvent(profile, e, model));
          if (!loaded) level = stored.l;
          loaded = true;
          rescore();
        }, report)
        .finally(() => {
          saving = undefined;
          if (unsaved.length) save();
        });
    }));

  save();
  rescore();

  return {
    _apply(event) {
      applyEvent(profile, event, model);
      unsaved.push(event);
      rescore();
      save();
    },
    _get: () => intent,
    _on(callback) {
      listeners.add(callback);
      return () => listeners.delete(callback);
    },
    _reset() {
      profile = createProfile();
      unsaved = [];
      level = 'cold';
      rescore();
      store?.('readwrite', (s) => s.delete('profile')).catch(report);
    },
  };
}
