import type { AnyEvent } from '@inkling/core';
import type { UseStore } from 'idb-keyval';
import type { Transport } from '../transport/types.js';
import type { Backoff } from './backoff.js';
import type { DropReason, QueueLimits, QueueStats } from './queue.js';
import { writeMany } from './store.js';

/** How an event is queued: sent in the next batch (0), held or left to wait. */
export type Hold = 0 | typeof HOLD | typeof WAIT;
/** Held: stored but not sent while its tab lives (a page view's engagement while the page is hidden). */
export const HOLD = 1;
/**
 * Waits: stored and sent with the next request that goes anyway (a batch with an event that does not wait,
 * the page's keepalive flush, the next page's first batch), never in a request of its own.
 */
export const WAIT = 2;

// A stored record. Its keys are persisted, so they are short, stable and never `_`-prefixed (mangled).
export interface Rec {
  /** The event. */
  e: AnyEvent;
  /** Its size in bytes. */
  b: number;
  /** Delivery attempts so far, kept across reloads. */
  a: number;
  /** The tab that owns it; empty when handed over to the next page of this origin (any tab may adopt it). */
  o: string;
  /** HOLD or WAIT (see there). */
  h?: Hold;
}

/**
 * One queue's state. The queue's modules are plain functions over it (records here, sending in send.ts),
 * which the script-tag build keeps smaller than a closure per module.
 */
export interface QueueState {
  _transport: Transport;
  /** This tab's id, the owner of the records it adds. */
  _tab: string;
  _limits: QueueLimits;
  _site: string;
  _backoff: Backoff;
  _report: (error: unknown) => void;
  _log: ((...args: unknown[]) => void) | undefined;
  /** Resolves when this tab's lifetime lock is held: nothing is written before. */
  _alive: Promise<unknown>;
  /** The IndexedDB store, until writing to it fails for another reason than the quota. */
  _db: UseStore | undefined;
  /** The in-memory mirror, in id (time) order: what an unloading page sends from. */
  _mem: Map<string, Rec>;
  /** Bytes of every event in `_mem`, and how many of them are held or wait (never sent on their own), kept
   * as they change so adding an event costs the same at any queue length. */
  _bytes: number;
  _quiet: number;
  /** Ids in a request now. */
  _flying: Set<string>;
  /** Writes (undefined: a delete) waiting for the next commit, one transaction per task. */
  _writes: Map<string, Rec | undefined>;
  /** Events per batch: halved after a 413. */
  _batchEvents: number;
  /** Bytes of the keepalive requests in flight. */
  _unloadBytes: number;
  _counts: QueueStats;
}

/** Adds an event as this tab's record, or replaces the one with its id (keeping its attempts), within the bounds. */
export const addRecord = (q: QueueState, event: AnyEvent, bytes: number, hold: Hold | undefined): void => {
  const rec: Rec = { e: event, b: bytes, a: q._mem.get(event.id)?.a ?? 0, o: q._tab };
  // Without storage nothing waits: an event kept only in memory is sent while the page can.
  if (hold && (q._db || hold == HOLD)) rec.h = hold;
  putRecord(q, event.id, rec);
  writeRecord(q, event.id, rec);
  boundRecords(q);
};

/** Adds or replaces a record in memory. */
export const putRecord = (q: QueueState, id: string, rec: Rec): void => {
  const old = q._mem.get(id);
  q._bytes += rec.b - (old?.b ?? 0);
  q._quiet += +!!rec.h - +!!old?.h;
  q._mem.set(id, rec);
};

/** Removes a record, from memory and from the store. Returns it, if it was there. */
export const deleteRecord = (q: QueueState, id: string): Rec | undefined => {
  const rec = q._mem.get(id);
  if (rec) {
    q._bytes -= rec.b;
    q._quiet -= +!!rec.h;
    q._mem.delete(id);
    writeRecord(q, id);
  }
  return rec;
};

/** Stores a record (`rec` undefined: deletes it), in the task's one transaction. */
export const writeRecord = (q: QueueState, id: string, rec?: Rec): void => {
  if (!q._db) return;
  if (!q._writes.size) q._alive.then(() => commitWrites(q));
  q._writes.set(id, rec);
};

const commitWrites = (q: QueueState) => {
  const batch = [...q._writes];
  q._writes.clear();
  q._db &&
    batch.length &&
    writeMany(batch, q._db).catch((error: DOMException) => {
      // Over quota: make room by dropping the oldest tenth. Anything else: carry on in memory only.
      if (error?.name === 'QuotaExceededError') dropRecords(q, [...q._mem.keys()].slice(0, q._mem.size / 10 + 1), 'quota');
      else q._db = undefined;
      q._report(error);
    });
};

/** Removes records, each counted as dropped for `reason`. */
export const dropRecords = (q: QueueState, ids: string[], reason: DropReason): void => {
  for (const id of ids) if (deleteRecord(q, id)) q._counts.dropped[reason] = (q._counts.dropped[reason] ?? 0) + 1;
};

/** Drops the oldest records (but not those in flight) until the queue is within its bounds. */
export const boundRecords = (q: QueueState): void => {
  for (const id of q._mem.keys()) {
    if (q._mem.size <= q._limits.maxEvents && q._bytes <= q._limits.maxBytes) return;
    if (!q._flying.has(id)) dropRecords(q, [id], 'overflow');
  }
};

/** Adds records adopted from other tabs: all in id (time) order, within the bounds. */
export const mergeRecords = (q: QueueState, found: Rec[]): void => {
  const all = [...found.map((r): [string, Rec] => [r.e.id, r]), ...q._mem].sort(([a], [b]) => (a < b ? -1 : 1));
  q._mem.clear();
  q._bytes = q._quiet = 0;
  all.forEach(([id, r]) => putRecord(q, id, r));
  boundRecords(q);
};

/**
 * The page is being left for another page of this origin: a keepalive request's answer would never reach
 * this page, so that page would send its events again. They are handed over instead, stored without an
 * owner (the first tab to look adopts them, even while this page stays in the back/forward cache), and that
 * page's first batch sends them. Those in flight stay this tab's.
 */
export const handOver = (q: QueueState): void => {
  for (const [id, r] of q._mem) if (!q._flying.has(id) && deleteRecord(q, id)) writeRecord(q, id, { ...r, o: '' });
};
