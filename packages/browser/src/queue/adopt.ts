import { getUuidTime } from '@inkling/core';
import type { UseStore } from 'idb-keyval';
import type { Rec } from './queue.js';
import { getAll, writeMany } from './store.js';
import { getLiveTabs } from './tabs.js';

/**
 * How often a tab looks for events left behind by closed tabs: on its first send of a page (not at start,
 * so a page left at once holds no lock or transaction while it enters the back/forward cache), then at
 * most this often.
 */
export const ADOPT_INTERVAL_MS = 10_000;
/** Without Web Locks a tab cannot tell a live tab from a dead one, so it only adopts events this old. */
export const ORPHAN_AGE_MS = 10 * 60_000;

/**
 * Makes the function with which a queue takes over the events of tabs that were closed or crashed (their
 * lifetime lock is gone), under an exclusive lock named `lockName`, so that two tabs never adopt, and so
 * never send, the same event. The adopted events are rewritten as this tab's, then handed to `take`.
 * The function returns undefined when it does not look (no store, or it looked less than
 * ADOPT_INTERVAL_MS ago).
 */
export function createAdoption(
  lockName: string,
  tab: string,
  alive: Promise<unknown>,
  report: (error: unknown) => void,
): (store: UseStore | undefined, isKnown: (id: string) => boolean, take: (found: Rec[]) => void) => Promise<unknown> | undefined {
  let lastAdopt = 0;
  return (store, isKnown, take) => {
    if (!store || Date.now() - lastAdopt < ADOPT_INTERVAL_MS) return;
    lastAdopt = Date.now();
    const work = async () => {
      const live = await getLiveTabs();
      const found = (await getAll<Rec>(store)).filter(
        // Handed over (no owner), or its tab is gone.
        (r) => r.o !== tab && !isKnown(r.e.id) && !(r.o && (live ? live.has(r.o) : Date.now() - getUuidTime(r.e.id) < ORPHAN_AGE_MS)),
      );
      if (!found.length) return;
      for (const r of found) {
        r.o = tab;
        delete r.h;
      }
      await writeMany(
        found.map((r) => [r.e.id, r]),
        store,
      );
      take(found);
    };
    // ifAvailable: a tab never waits for the adoption lock. Waiting on a lock held by a page in the
    // back/forward cache makes Chrome evict that page (WebLocksContention); the next pass will adopt.
    return alive.then(() => navigator.locks?.request(lockName, { ifAvailable: true }, (lock) => lock && work()) ?? work()).catch(report);
  };
}
