import type { AnyEvent } from '@inkling/core';
import type { UseStore } from 'idb-keyval';
import type { Transport } from '../transport/types.js';
import { createAdoption } from './adopt.js';
import { createBackoff } from './backoff.js';
import { addRecord, deleteRecord, dropRecords, handOver, mergeRecords } from './records.js';
import type { Hold, QueueState } from './records.js';
import { sendBatch, sendUnload, takeBatch } from './send.js';

export { MAX_UNLOAD_BYTES } from './send.js';
export { NETWORK_ERRORS_TO_PAUSE } from './backoff.js';
/**
 * Longest a send waits for its look for orphans (an IndexedDB read) before sending what is in memory: a
 * read can stall (queued behind another tab's transaction that never ends) and delivery must not. The
 * same patience as for opening the database.
 */
export const ADOPT_WAIT_MS = 1500;
export { ADOPT_INTERVAL_MS, ORPHAN_AGE_MS } from './adopt.js';

export { HOLD, WAIT } from './records.js';
export type { Hold, Rec } from './records.js';

/** Why events were dropped. Every drop is counted under one of these. */
export type DropReason = 'overflow' | 'expired' | 'rejected' | 'too-large' | 'retries' | 'quota' | 'consent' | 'forget';

/** Delivery counters. */
export interface QueueStats {
  /** Events waiting now. */
  queued: number;
  /** Events delivered (2xx). */
  sent: number;
  /** Event deliveries retried. */
  retried: number;
  /** Events dropped, by reason. */
  dropped: Partial<Record<DropReason, number>>;
}

/** Queue bounds and batching, per transport. */
export interface QueueLimits {
  /** Most events kept; the oldest are dropped first. @default 1000 */
  maxEvents: number;
  /** Most bytes kept. @default 2 MiB */
  maxBytes: number;
  /** Events older than this are dropped. @default 7 days */
  maxAgeMs: number;
  /** Delivery attempts per event, counted across page loads. @default 10 */
  maxAttempts: number;
  /** A batch is sent when it has this many events... @default 25 */
  batchEvents: number;
  /** ...or this many bytes (UTF-8)... @default 32 KiB */
  batchBytes: number;
  /** ...or this long after its first event. @default 5000 */
  batchDelayMs: number;
}

export interface Queue {
  /** Adds an event, or replaces the one with its id; `hold` is HOLD or WAIT (see there). */
  _add(event: AnyEvent, bytes: number, hold?: Hold): void;
  _remove(id: string): void;
  /**
   * Sends what can be sent now; with `unload`, as keepalive requests within MAX_UNLOAD_BYTES. With `next`
   * (the page is being left for another page of this origin) and the events stored, sends nothing: they
   * are handed over to that page, which sends them with its first batch.
   */
  _flush(unload?: boolean, next?: boolean): Promise<void>;
  /** Drops every event (counted under `reason`) and clears storage. */
  _clear(reason: DropReason): Promise<unknown>;
  _stop(): void;
  _stats(): QueueStats;
}

export interface QueueContext {
  site: string;
  tab: string;
  /** Resolves when this tab's lifetime lock is held: nothing is written before. */
  alive: Promise<unknown>;
  report: (error: unknown) => void;
  /** The IndexedDB store, when storage is allowed. */
  store: UseStore | undefined;
  /** Logs each send's outcome and the counters (debug mode). */
  log?: ((...args: unknown[]) => void) | undefined;
}

/**
 * One transport's queue: an in-memory mirror, written first (an unloading page sends from it), over an
 * IndexedDB store with one record per event. At least once: an event is deleted only after a send of it
 * succeeded, so a page killed mid-request re-sends at most that batch, and collectors dedupe on event id.
 * Tabs never send the same event: each sends its own, and a closed tab's events are adopted by one tab
 * under an exclusive Web Lock.
 */
export function createQueue(transport: Transport, limits: QueueLimits, { site, tab, alive, report, store, log }: QueueContext): Queue {
  const persist = transport.persist !== false;
  // Back online: send at once.
  const backoff = createBackoff(() => pump());
  const q: QueueState = {
    _transport: transport,
    _tab: tab,
    _limits: limits,
    _site: site,
    _backoff: backoff,
    _report: report,
    _log: log,
    _alive: alive,
    _db: persist ? store : undefined,
    _mem: new Map(),
    _bytes: 0,
    _quiet: 0,
    _flying: new Set(),
    _writes: new Map(),
    _batchEvents: limits.batchEvents,
    _unloadBytes: 0,
    _counts: { queued: 0, sent: 0, retried: 0, dropped: {} },
  };
  const mem = q._mem;
  const ready = backoff._ready;
  let running: Promise<void> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timerAt = 0;
  // The last send pass found nothing to send (all held, waiting or in flight): wait for the batch delay, do not spin.
  let empty = false;

  // One send loop at a time; `finally` runs after `running` is set, even when nothing was sent.
  const pump = (): Promise<void> =>
    (running ??= (async () => {
      // Orphans first, so they travel in this send rather than a request of their own (if IndexedDB answers in time).
      // Not while offline or paused: nothing could be sent, and reading the whole store would be wasted.
      const adopting = ready() ? adopt() : undefined;
      if (adopting) await Promise.race([adopting, new Promise((r) => setTimeout(r, ADOPT_WAIT_MS))]);
      let batch;
      empty = true;
      while (ready() && Date.now() >= backoff._retryAt && (batch = takeBatch(q, limits.batchBytes)).some((r) => !r.h)) {
        empty = false;
        if (!(await sendBatch(q, batch, false))) break;
      }
    })().finally(() => {
      running = undefined;
      schedule();
    }));

  // Keeps one timer: at the retry time, or the batch delay after the first waiting event, or now when a
  // batch is full. None while the page is hidden (the unload flush has sent what it could), nor for
  // events that are held or wait.
  const schedule = () => {
    if (running || mem.size <= q._quiet || !ready() || document.hidden) return;
    const now = Date.now();
    const due = !empty && (!persist || mem.size >= q._batchEvents || q._bytes >= limits.batchBytes);
    const at = backoff._retryAt > now ? backoff._retryAt : due ? 0 : now + limits.batchDelayMs;
    if (timer && timerAt <= at) return;
    clearTimeout(timer);
    timer = setTimeout(() => ((timer = undefined), pump()), (timerAt = at) - Date.now());
  };

  // Adopted events join this tab's in id (time) order, within the bounds.
  const adoptOrphans = createAdoption(`inkling:adopt:${site}:${transport.name}`, tab, alive, report);
  const adopt = () =>
    adoptOrphans(
      q._db,
      (id) => mem.has(id),
      (found) => {
        mergeRecords(q, found);
        schedule();
      },
    );

  return {
    _add(event, bytes, hold) {
      if (transport.accepts?.(event) === false) return;
      addRecord(q, event, bytes, hold);
      empty = false;
      schedule();
    },
    _remove(id) {
      deleteRecord(q, id);
    },
    async _flush(unload, next) {
      if (!unload) return running?.then(pump) ?? pump();
      clearTimeout(timer);
      timer = undefined;
      next && q._db ? handOver(q) : sendUnload(q);
    },
    _clear(reason) {
      dropRecords(q, [...mem.keys()], reason);
      q._writes.clear();
      return q._db ? q._db('readwrite', (s) => s.clear()).catch(report) : Promise.resolve();
    },
    _stop() {
      clearTimeout(timer);
      backoff._stop();
    },
    _stats: () => ({ ...q._counts, queued: mem.size }),
  };
}
