import type { AnyEvent } from '@inkling/core';
import type { UseStore } from 'idb-keyval';
import type { Transport } from '../transport/types.js';
import { createAdopt } from './adopt.js';
import { createBackoff } from './backoff.js';
import { createMirror, HOLD } from './mirror.js';
import { createSend } from './send.js';
import type { Hold } from './mirror.js';
import { now } from '../lib/now.js';

/**
 * Longest a send waits for its look for orphans (an IndexedDB read) before sending what is in memory: a
 * read can stall (queued behind another tab's transaction that never ends) and delivery must not. The
 * same patience as for opening the database.
 */
export const ADOPT_WAIT_MS = 1500;

export { HOLD, WAIT } from './mirror.js';
export { MAX_UNLOAD_BYTES } from './send.js';
export type { Hold } from './mirror.js';

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
  /** Drops every event (counted under `reason`) and clears storage: the promise settles when it is cleared (none without storage). */
  _clear(reason: DropReason): Promise<unknown> | undefined;
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
 *
 * Between failed sends it waits: exponential backoff with jitter, or as `Retry-After` says; after repeated
 * network errors (nothing answers; no use trying every few minutes) it pauses until the browser comes back
 * online, and then sends at once.
 */
export function createQueue(transport: Transport, limits: QueueLimits, { site, tab, alive, report, store, log }: QueueContext): Queue {
  const mem = new Map<string, Rec>();
  const stats: QueueStats = { queued: 0, sent: 0, retried: 0, dropped: {} };
  const persist = transport.persist !== false;
  let running: Promise<void> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timerAt = 0;
  // The last send pass found nothing to send (all held or in flight): wait for the batch delay, do not spin.
  let empty = false;
  const mirror = createMirror(mem, limits, stats, persist ? store : undefined, alive, report);
  const [put, del, write, , bound, take, merge, clear, bytes, quiet, db, , handOver, getStats] = mirror;
  const backoff = createBackoff(() => pump());
  const [ready, retryAt, , , stopBackoff] = backoff;
  const [send, sendUnload, batchEvents] = createSend(transport, site, limits, stats, mem, mirror, backoff, report, log);
  const adopt = createAdopt(tab, `inkling:adopt:${site}:${transport.name}`, alive, mem);

  // One send loop at a time; `finally` runs after `running` is set, even when nothing was sent.
  const pump = (): Promise<void> =>
    (running ??= (async () => {
      // Orphans first, so they travel in this send rather than a request of their own (if IndexedDB answers in time).
      // Not while offline or paused: nothing could be sent, and reading the whole store would be wasted.
      const idb = ready() && db();
      const adopting =
        idb &&
        adopt(idb)
          ?.then((entries) => entries && (merge(entries), schedule()))
          .catch(report);
      if (adopting) await Promise.race([adopting, new Promise((r) => setTimeout(r, ADOPT_WAIT_MS))]);
      let batch;
      empty = true;
      while (ready() && now() >= retryAt() && (batch = take(limits.batchBytes, batchEvents())).some((r) => !r.h)) {
        empty = false;
        if (!(await send(batch, false))) break;
      }
    })().finally(() => {
      running = undefined;
      schedule();
    }));

  // Keeps one timer: at the retry time, or the batch delay after the first waiting event, or now when a
  // batch is full. None while the page is hidden: the unload flush has sent what it could.
  const schedule = () => {
    if (running || mem.size <= quiet() || !ready() || document.hidden) return;
    const time = now();
    const retry = retryAt();
    const due = !empty && (!persist || mem.size >= batchEvents() || bytes() >= limits.batchBytes);
    const at = retry > time ? retry : due ? 0 : time + limits.batchDelayMs;
    if (timer && timerAt <= at) return;
    clearTimeout(timer);
    timer = setTimeout(() => ((timer = undefined), pump()), (timerAt = at) - now());
  };

  return {
    _add(event, bytes, hold) {
      if (transport.accepts?.(event) === false) return;
      const rec: Rec = { e: event, b: bytes, a: mem.get(event.id)?.a ?? 0, o: tab };
      // Without storage nothing waits: an event kept only in memory is sent while the page can.
      if (hold && (db() || hold == HOLD)) rec.h = hold;
      put(event.id, rec);
      empty = false;
      write(event.id, rec);
      bound();
      schedule();
    },
    _remove: del,
    async _flush(unload, next) {
      if (!unload) return running?.then(pump) ?? pump();
      clearTimeout(timer);
      timer = undefined;
      // Leaving for another page of this origin: a keepalive request's answer never reaches this page, so
      // that page would send its events again. Hand them over instead (no owner: the first tab to look
      // adopts them, even while this page stays in the back/forward cache); that page's first batch sends them.
      next && db() ? handOver() : sendUnload();
    },
    _clear: clear,
    _stop() {
      clearTimeout(timer);
      stopBackoff();
    },
    _stats: getStats,
  };
}
