import { getUuidTime } from '@inkling/core';
import type { UseStore } from 'idb-keyval';
import type { DropReason, QueueLimits, QueueStats, Rec } from './queue.js';
import { writeMany } from './store.js';
import { now } from '../lib/now.js';

/** How an event is queued: sent in the next batch (0), held (stored, not sent while its tab lives) or left to wait. */
export type Hold = 0 | typeof HOLD | typeof WAIT;
/** Held: stored but not sent while its tab lives (a page view's engagement while the page is hidden). */
export const HOLD = 1;
/**
 * Waits: stored and sent with the next request that goes anyway (a batch with an event that does not wait,
 * the page's keepalive flush, the next page's first batch), never in a request of its own.
 */
export const WAIT = 2;

/**
 * A queue's in-memory mirror of its store: the records in `mem` (in id, that is time, order), their bytes and
 * how many of them are held or wait (kept as they change, so adding an event costs the same at any queue
 * length), the ids in flight, the writes to `db` (coalesced into one transaction per task, once `alive`
 * resolves), the bounds and the drops (counted in `stats`). Returns, in order:
 * - `put(id, rec)`: sets a record in memory only;
 * - `del(id)`: deletes a record, returning it;
 * - `write(id, rec?)`: stores a record, or deletes it without `rec`;
 * - `drop(reason, ...ids)`: deletes records, counting those there were under `reason`;
 * - `bound()`: drops the oldest records (not those in flight) until within the bounds;
 * - `take(maxBytes, maxEvents)`: the next records to send, in order; expired ones are dropped on the way;
 * - `merge(entries)`: joins adopted records to these, in id order, within the bounds;
 * - `clear(reason)`: drops every record and clears the store: the promise settles when it is cleared;
 * - `bytes()`, `quiet()`: the bytes of every record, and how many are held or wait;
 * - `store()`: the store, until a write fails other than over quota;
 * - `flying`: the ids in flight;
 * - `handOver()`: stores every record not in flight with no owner, for the next page of this origin to adopt,
 *   and deletes it from memory;
 * - `getStats()`: the counters, with the records queued now.
 */
export function createMirror(
  mem: Map<string, Rec>,
  limits: QueueLimits,
  stats: QueueStats,
  db: UseStore | undefined,
  alive: Promise<unknown>,
  report: (error: unknown) => void,
) {
  const flying = new Set<string>();
  const writes = new Map<string, Rec | undefined>();
  let bytes = 0;
  let quiet = 0;

  const put = (id: string, rec: Rec) => {
    const old = mem.get(id);
    bytes += rec.b - (old?.b ?? 0);
    quiet += +!!rec.h - +!!old?.h;
    mem.set(id, rec);
  };
  const del = (id: string) => {
    const rec = mem.get(id);
    if (rec) {
      bytes -= rec.b;
      quiet -= +!!rec.h;
      mem.delete(id);
      write(id);
    }
    return rec;
  };

  const write = (id: string, rec?: Rec) => {
    if (!db) return;
    if (!writes.size) alive.then(commit);
    writes.set(id, rec);
  };
  const commit = () => {
    const batch = [...writes];
    writes.clear();
    db &&
      batch.length &&
      writeMany(batch, db).catch((error: DOMException) => {
        // Over quota: make room by dropping the oldest tenth. Anything else: carry on in memory only.
        if (error?.name === 'QuotaExceededError') drop('quota', ...[...mem.keys()].slice(0, mem.size / 10 + 1));
        else db = undefined;
        report(error);
      });
  };

  const drop = (reason: DropReason, ...ids: string[]) => {
    for (const id of ids) if (del(id)) stats.dropped[reason] = (stats.dropped[reason] ?? 0) + 1;
  };

  const bound = () => {
    for (const id of mem.keys()) {
      if (mem.size <= limits.maxEvents && bytes <= limits.maxBytes) return;
      if (!flying.has(id)) drop('overflow', id);
    }
  };

  const take = (maxBytes: number, maxEvents: number): Rec[] => {
    const batch: Rec[] = [];
    let size = 0;
    for (const [id, r] of mem) {
      if (r.h == HOLD || flying.has(id)) continue;
      if (now() - getUuidTime(id) > limits.maxAgeMs) drop('expired', id);
      else if (batch.length < maxEvents && (size += r.b) <= maxBytes) batch.push(r);
      else break;
    }
    return batch;
  };
  const merge = (entries: [string, Rec][]) => {
    const all = [...entries, ...mem].sort(([a], [b]) => (a < b ? -1 : 1));
    mem.clear();
    bytes = quiet = 0;
    all.forEach(([id, r]) => put(id, r));
    bound();
  };
  const clear = (reason: DropReason) => {
    drop(reason, ...mem.keys());
    writes.clear();
    return db?.('readwrite', (s) => s.clear()).catch(report);
  };

  const handOver = () => {
    for (const [id, r] of mem) if (!flying.has(id) && del(id)) write(id, { ...r, o: '' });
  };

  return [
    put,
    del,
    write,
    drop,
    bound,
    take,
    merge,
    clear,
    () => bytes,
    () => quiet,
    () => db,
    flying,
    handOver,
    () => ({ ...stats, queued: mem.size }),
  ] as const;
}
