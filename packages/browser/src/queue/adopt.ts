import { getUuidTime } from '@inkling/core';
import { promisifyRequest } from 'idb-keyval';
import type { UseStore } from 'idb-keyval';
import type { Rec } from './queue.js';
import { writeMany } from './store.js';
import { TAB_LOCK_PREFIX } from './tabs.js';
import { now } from '../lib/now.js';

/**
 * How often a tab looks for events left behind by closed tabs: on its first send of a page (not at start,
 * so a page left at once holds no lock or transaction while it enters the back/forward cache), then at
 * most this often.
 */
export const ADOPT_INTERVAL_MS = 10_000;
/** Without Web Locks a tab cannot tell a live tab from a dead one, so it only adopts events this old. */
export const ORPHAN_AGE_MS = 10 * 60_000;

/**
 * A queue's adoption of the events of tabs that were closed or crashed (their lifetime lock is gone), under
 * the exclusive lock `lockName`, so that two tabs never adopt, and so never send, the same event. The
 * returned function looks (once `alive` resolves) for the orphans in `store` that are not in `mem`, rewrites
 * them in the store as `tab`'s and resolves to them, as entries for the queue to merge: to nothing when there
 * are none or another tab is adopting. It returns undefined when it does not look, having looked less than
 * ADOPT_INTERVAL_MS ago.
 */
export function createAdopt(tab: string, lockName: string, alive: Promise<unknown>, mem: Map<string, Rec>) {
  let lastAdopt = 0;
  return (store: UseStore) => {
    if (now() - lastAdopt < ADOPT_INTERVAL_MS) return;
    lastAdopt = now();
    const work = async () => {
      // The lifetime locks of the tabs alive right now; none without Web Locks.
      const held = navigator.locks && (await navigator.locks.query()).held;
      const live = held && new Set(held.map((lock) => lock.name));
      const found = ((await store('readonly', (s) => promisifyRequest(s.getAll()))) as Rec[]).filter(
        // Handed over (no owner), or its tab is gone.
        (r) =>
          r.o !== tab &&
          !mem.has(r.e.id) &&
          !(r.o && (live ? live.has(TAB_LOCK_PREFIX + r.o) : now() - getUuidTime(r.e.id) < ORPHAN_AGE_MS)),
      );
      if (!found.length) return;
      // Rewritten as this tab's.
      const entries = found.map((r): [string, Rec] => {
        r.o = tab;
        r.h = 0;
        return [r.e.id, r];
      });
      await writeMany(entries, store);
      return entries;
    };
    // ifAvailable: a tab never waits for the adoption lock. Waiting on a lock held by a page in the
    // back/forward cache makes Chrome evict that page (WebLocksContention); the next pass will adopt.
    return alive.then(() => navigator.locks?.request(lockName, { ifAvailable: true }, (lock) => lock && work()) ?? work());
  };
}
