import { createProfile, DEFAULT_MODEL, getByteLength, LIMITS, scoreProfile } from '@inkling/core';
import type { Intent } from '@inkling/core';
import { toEvents } from './envelope.js';
import { getErrorMessage } from './errors/messages.js';
import type { Pending } from './envelope.js';
import { createIntent } from './intent.js';
import type { IntentState } from './intent.js';
import type { ResolvedOptions } from './options.js';
import { createQueue, HOLD, WAIT } from './queue/queue.js';
import type { DropReason, Queue, QueueStats } from './queue/queue.js';
import { deleteStores, openStore } from './queue/store.js';
import { TAB_LOCK_PREFIX } from './queue/tabs.js';
import type { TopicDropReason } from './signals/topics.js';
import { createVisits } from './signals/visits.js';
import type { Visits } from './signals/visits.js';
import { now } from './lib/now.js';
import { programmatic } from './lib/programmatic.js';

/** The wire format's limit on one event, in bytes. */
export const MAX_EVENT_BYTES = LIMITS.MAX_EVENT_BYTES;

/** Delivery counters: totals, and the same per transport. */
export interface Stats extends QueueStats {
  /** Events dropped, and topics left out (`topic-limit`, `topic-private`), by reason. */
  dropped: Partial<Record<DropReason | TopicDropReason, number>>;
  transports: Record<string, QueueStats>;
}

export interface Visitor {
  /** The visitor's ids and visits, while storage is open. */
  _visits: Visits | undefined;
  /** Opens storage (consent was granted): this tab's lock, the visitor state, a queue per transport, the profile. */
  _open(): void;
  /** Stamps an event with the visitor and visit, and queues it on every transport. */
  _record(pending: Pending): void;
  /** Takes back a held event. */
  _remove(id: string): void;
  /** Sends what can be sent; `unload` and `next` as in Queue._flush. */
  _flush(unload?: boolean, next?: boolean): Promise<void>;
  /** Drops every queued event (counted under `reason`), the profile and the stored visitor. */
  _erase(reason: DropReason): Promise<unknown>;
  /** Consent was withdrawn: erases, then closes storage and deletes every database Inkling made. */
  _close(): void;
  /** A new visitor, after an erasure. */
  _renew(): void;
  _count(reason: DropReason | TopicDropReason, n?: number): void;
  /** The counters, with `kept` events waiting in memory for consent. */
  _stats(kept: number): Stats;
  _intent(): Intent;
  _stop(): void;
}

/**
 * Everything Inkling keeps of the visitor in this browser, and only once consent is granted (reading a
 * stored id is already "access" under ePrivacy): their ids and visits in localStorage (none in anonymous
 * mode), the events waiting to be sent in IndexedDB, one queue per transport, and the intent profile.
 *
 * @param onIntent - called when the intent level changes
 */
export function createVisitor(
  o: ResolvedOptions,
  tab: string,
  report: (error: unknown) => void,
  onIntent: (intent: Intent) => void,
): Visitor {
  const key = `inkling:${o.site}`;
  const queueName = (name: string) => `${o.site}:q:${name}`;
  const model = (programmatic && o.model) || DEFAULT_MODEL;
  const dropped: Stats['dropped'] = {};
  const count = (reason: DropReason | TopicDropReason, n = 1) => (dropped[reason] = (dropped[reason] ?? 0) + n);
  const log = o.debug ? (...args: unknown[]) => console.debug('[inkling]', ...args) : undefined;
  let storage: Storage | undefined;
  try {
    storage = o.anonymous ? undefined : localStorage;
  } catch {}
  let queues: Queue[] = [];
  let intent: IntentState | undefined;
  let releaseTab = () => {};

  const self: Visitor = {
    _visits: undefined,
    _open() {
      // This tab's lifetime lock, held while the page lives (or until released), so other tabs can tell its queued
      // events from those of a tab that was closed or crashed: the browser releases a dead tab's locks. `alive`
      // resolves once it is held, and nothing is written to the shared queue before, or another tab could take
      // this one's events for orphans. Without Web Locks (insecure contexts) it resolves at once.
      const alive = new Promise(
        (held) =>
          navigator.locks?.request(TAB_LOCK_PREFIX + tab, () => (held(0), new Promise<void>((done) => (releaseTab = done)))).catch(held) ??
          held(0),
      );
      self._renew();
      // Opening IndexedDB fails inside the store's promise (blocked, private mode, hanging): the queue falls back to memory.
      queues = o.transports.map((transport) =>
        createQueue(transport, o.limits, { site: o.site, tab, alive, report, log, store: openStore(queueName(transport.name)) }),
      );
      intent = createIntent(model, openStore(`${o.site}:state`), onIntent, report);
    },
    _record(pending) {
      for (const event of toEvents(pending, self._visits!)) {
        const bytes = getByteLength(JSON.stringify(event));
        if (bytes > MAX_EVENT_BYTES) {
          count('too-large');
          report(new Error(getErrorMessage('E25', event.type, bytes, MAX_EVENT_BYTES)));
          continue;
        }
        log?.(pending._hold ? 'held' : 'event', event);
        // A qualified read and a change of intent level are not worth a request of their own: they wait for the next one.
        const hold = pending._hold ? HOLD : event.type == 'article_read' || event.type == 'intent' ? WAIT : 0;
        queues.forEach((q) => q._add(event, bytes, hold));
        if (!pending._hold) intent?._apply(event);
      }
    },
    _remove: (id) => queues.forEach((q) => q._remove(id)),
    _flush: (unload, next) => Promise.all(queues.map((q) => q._flush(unload, next))).then(() => {}),
    _erase(reason) {
      intent?._reset();
      try {
        storage?.removeItem(key);
      } catch {}
      return Promise.all(queues.map((q) => q._clear(reason)));
    },
    _close() {
      self
        ._erase('consent')
        .then(() => {
          queues.forEach((q) => q._stop());
          queues = [];
          self._visits = intent = undefined;
          delete document.documentElement.dataset['inklingIntent'];
          releaseTab();
          return deleteStores([`${o.site}:state`, ...o.transports.map((t) => queueName(t.name))]);
        })
        .catch(report);
    },
    _renew() {
      self._visits = createVisits(key, storage, programmatic ? o.visitTimeoutMs : undefined);
    },
    _count: count,
    _stats(kept) {
      const total: Stats = { queued: kept, sent: 0, retried: 0, dropped: { ...dropped }, transports: {} };
      queues.forEach((q, i) => {
        const s = (total.transports[o.transports[i]!.name] = q._stats());
        for (const k of ['queued', 'sent', 'retried'] as const) total[k] += s[k];
        for (const k in s.dropped) total.dropped[k as DropReason] = (total.dropped[k as DropReason] ?? 0) + s.dropped[k as DropReason]!;
      });
      return total;
    },
    _intent: () => intent?._get() ?? scoreProfile(createProfile(), model, now()),
    _stop() {
      queues.forEach((q) => q._stop());
      releaseTab();
    },
  };
  return self;
}
