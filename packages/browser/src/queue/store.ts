import { promisifyRequest } from 'idb-keyval';
import type { UseStore } from 'idb-keyval';
import { getErrorMessage } from '../errors/messages.js';

/** Give up on IndexedDB after this long: in some browsers `indexedDB.open` never settles (WebKit bug 226547). */
export const OPEN_TIMEOUT_MS = 1500;

/** Every database Inkling creates starts with this, so all of them can be found and deleted. */
export const DB_PREFIX = 'inkling:';

/**
 * An idb-keyval store function that survives the failures seen in the field: an open that hangs (rejected
 * after OPEN_TIMEOUT_MS), a connection the browser closes (reopened once), and another tab deleting the
 * database (this tab closes its connection on `versionchange` instead of blocking the deletion).
 */
export function openStore(name: string): UseStore {
  let dbp: Promise<IDBDatabase> | undefined;
  const open = () =>
    (dbp ??= new Promise<IDBDatabase>((resolve, reject) => {
      // The error is made only if the open does hang: made at once, it would capture a stack on every page's
      // start-up path (measured at 4 ms there, under the DevTools protocol the benchmark runs with).
      setTimeout(() => reject(new Error(getErrorMessage('E28', OPEN_TIMEOUT_MS))), OPEN_TIMEOUT_MS);
      const request = indexedDB.open(DB_PREFIX + name);
      request.onupgradeneeded = () => request.result.createObjectStore('kv');
      promisifyRequest(request).then((db) => {
        db.onversionchange = db.onclose = () => {
          db.close();
          dbp = undefined;
        };
        resolve(db);
      }, reject);
    }));
  const run = (mode: IDBTransactionMode, callback: (store: IDBObjectStore) => unknown, retry = 1): Promise<unknown> =>
    open().then((db) => {
      try {
        return callback(db.transaction('kv', mode).objectStore('kv'));
      } catch (error) {
        // InvalidStateError: the connection is closing. Open a new one, once.
        dbp = undefined;
        if (retry) return run(mode, callback, 0);
        throw error;
      }
    });
  return run as UseStore;
}

/** Every value in the store. */
export const getAll = <T>(store: UseStore): Promise<T[]> => store('readonly', (s) => promisifyRequest(s.getAll()));

/** Writes and deletes in one transaction, in order: `undefined` deletes the key (values are records and level names, never falsy). */
export const writeMany = (entries: Iterable<[string, unknown]>, store: UseStore): Promise<void> =>
  store('readwrite', (s) => {
    for (const [key, value] of entries) value ? s.put(value, key) : s.delete(key);
    // Commit now rather than when this page next runs: a transaction left open by a page frozen into the
    // back/forward cache blocks other tabs, and Chrome evicts the page for it.
    s.transaction.commit?.();
    return promisifyRequest(s.transaction);
  });

/**
 * Deletes every database Inkling made for this origin: the ones `indexedDB.databases()` lists, and the
 * `known` names for browsers that cannot list them (Firefox before 126).
 */
export async function deleteStores(known: string[]): Promise<void> {
  const listed = (await indexedDB.databases?.().catch(() => [])) ?? [];
  const names = new Set([...listed.map((d) => d.name), ...known.map((n) => DB_PREFIX + n)]);
  await Promise.all([...names].map((n) => n?.startsWith(DB_PREFIX) && promisifyRequest(indexedDB.deleteDatabase(n))));
}
