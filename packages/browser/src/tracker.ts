import { createProfile, DEFAULT_MODEL, LIMITS, scoreProfile, uuidv7 } from '@inkling/core';
import type { AnyEvent, EventPropsMap, EventType, Intent, JsonObject, Navigation, PageInfo, Vitals } from '@inkling/core';
import { createIntent } from './intent.js';
import type { IntentState } from './intent.js';
import { getByteLength } from './lib/bytes.js';
import { listen } from './lib/listen.js';

import { checkOptions, resolveOptions } from './options.js';
import type { ConsentState, TrackerOptions } from './options.js';
import { compileScrubParams, hasEmail, scrubProps } from './privacy/scrub.js';
import { createQueue } from './queue/queue.js';
import type { DropReason, Queue, QueueStats } from './queue/queue.js';
import { deleteStores, openStore } from './queue/store.js';
import { holdTabLock } from './queue/tabs.js';
import { compileKindRules, DEFAULT_KIND_RULES, getPageKind } from './signals/page-kind.js';
import { createPageViews } from './signals/page-views.js';
import type { Emit } from './signals/page-views.js';
import type { TopicDropReason } from './signals/topics.js';
import { createVisits } from './signals/visits.js';
import type { Visits } from './signals/visits.js';

/** The wire format's limit on one event, in bytes. */
export const MAX_EVENT_BYTES = LIMITS.MAX_EVENT_BYTES;

/** Delivery counters: totals, and the same per transport. */
export interface Stats extends QueueStats {
  /** Events dropped, and topics left out (`topic-limit`, `topic-private`), by reason. */
  dropped: Partial<Record<DropReason | TopicDropReason, number>>;
  transports: Record<string, QueueStats>;
}

/** A running tracker. Once `createTracker()` has returned, none of its methods throws into the page. */
export interface Tracker {
  /**
   * Records a custom event, such as a conversion. E-mail addresses in `props` are scrubbed.
   * @example tracker.track('demo_request', { plan: 'team' })
   */
  track(name: string, props?: JsonObject): void;
  /**
   * Links this visitor to a known lead by your own opaque id (an e-mail address is refused: it would be
   * scrubbed). The first link wins: a later, different id is sent as a claim but does not relink.
   */
  identify(id: string, traits?: JsonObject): void;
  /** Starts a page view by hand: with `autoPageViews: false`, or when the page changed without a URL change. */
  page(): void;
  /** Sends what can be sent now; resolves when every transport has tried. */
  flush(): Promise<void>;
  /** `granted` stores and sends (with what `pending` kept in memory); `denied` drops and erases everything, in every tab. */
  consent(state: ConsentState): void;
  /** Erases this visitor: clears what Inkling stored in this browser and asks the backend to erase them too. */
  forget(): Promise<void>;
  /** Delivery counters: queued, sent, retried, dropped by reason. */
  getStats(): Stats;
  /**
   * The visitor's intent now, by the same model as the server's: score, level, reasons. Synchronous; `cold`
   * until consent is granted and the stored profile is read.
   */
  getIntent(): Intent;
  /**
   * Calls `callback` whenever the visitor's level changes (cold, warm, hot), in this tab; returns a function
   * that stops it. The level is also on `<html data-inkling-intent="warm">` for CSS.
   * @example tracker.onIntent(({ level }) => level !== 'cold' && showChat())
   */
  onIntent(callback: (intent: Intent) => void): () => void;
  /** Attaches Core Web Vitals to the current page view's engagement (`@inkling/browser/vitals` calls it). */
  vitals(values: Vitals): void;
  /** Ends the page view, sends what it can, and removes every listener. */
  stop(): void;
}

interface Pending {
  id: string;
  type: EventType;
  t: number;
  props: EventPropsMap[EventType];
  page: PageInfo;
  hold?: boolean | undefined;
  landing?: [string, string] | undefined;
}

/**
 * Starts tracking: page views, engaged and attentive time, scroll depth, qualified article reads and
 * visits, delivered through an offline-first queue. Throws a TypeError naming a bad option; after that,
 * errors go to `onError` and never into the page.
 *
 * @example
 * const inkling = createTracker({ endpoint: 'https://collect.example.com/i' });
 * inkling.track('demo_request');
 */
export function createTracker(options: TrackerOptions): Tracker {
  checkOptions(options);
  return startTracker(options);
}

/** createTracker() without the checks of what only a program can set: the script tag starts here. */
export function startTracker(options: TrackerOptions): Tracker & { _at: number } {
  const o = resolveOptions(options);
  const report = (error: unknown) => {
    if (o.debug) console.warn('[inkling]', error);
    try {
      o.onError?.(error instanceof Error ? error : new Error(String(error)));
    } catch {}
  };
  const nav: Navigator & { globalPrivacyControl?: boolean } = navigator;
  const key = `inkling:${o.site}`;
  const queueName = (name: string) => `${o.site}:q:${name}`;
  const rules = compileKindRules(o.kinds ?? {}, DEFAULT_KIND_RULES);
  const tab = uuidv7();
  const channel = self.BroadcastChannel && new BroadcastChannel(key);
  const dropped: Stats['dropped'] = {};
  const count = (reason: DropReason | TopicDropReason, n = 1) => (dropped[reason] = (dropped[reason] ?? 0) + n);
  let storage: Storage | undefined;
  try {
    storage = o.anonymous ? undefined : localStorage;
  } catch {}
  // Global Privacy Control and (when asked) Do Not Track count as a refusal; an explicit consent() call overrides them.
  let consent: ConsentState = (o.respectGpc !== false && nav.globalPrivacyControl) || (o.respectDnt && nav.doNotTrack === '1') ? 'denied' : (o.consent ?? 'granted');
  let buffer: Pending[] = [];
  let visits: Visits | undefined;
  let queues: Queue[] = [];
  let releaseTab = () => {};
  let stopped = false;
  let frozen = false;
  // pagehide came while the page was visible: the visibilitychange that follows ends the page view.
  let leaving = false;
  let intent: IntentState | undefined;
  const model = o.model ?? DEFAULT_MODEL;
  const listeners = new Set<(intent: Intent) => void>();

  const deliver = (p: Pending) => {
    // Activity extends or starts a visit; an engagement sent as a page closes, or an erasure, is not activity.
    if (!/^(page_engagement|intent|forget)$/.test(p.type)) {
      const start = visits!._touch(p.t, p.landing);
      if (start) deliver({ id: uuidv7(p.t), type: 'visit_start', t: p.t, props: start, page: p.page });
    }
    if (p.type === 'identify') visits!._link((p.props as EventPropsMap['identify']).userId);
    const { v, s, u } = visits!._get();
    const event = { id: p.id, type: p.type, ts: new Date(p.t).toISOString(), visitor: v, session: s, page: p.page, props: p.props } as AnyEvent;
    if (u) event.user = u;
    const bytes = getByteLength(JSON.stringify(event));
    if (bytes > MAX_EVENT_BYTES) {
      count('too-large');
      return report(new Error(`Inkling: a ${p.type} event of ${bytes} bytes is over the ${MAX_EVENT_BYTES}-byte limit`));
    }
    if (o.debug) console.debug('[inkling]', p.hold ? 'held' : 'event', event);
    queues.forEach((q) => q._add(event, bytes, p.hold));
    if (!p.hold) intent?._apply(event);
  };

  const emit: Emit = (type, props, { id, hold, page, landing } = {}) => {
    const t = tracker._at || Date.now();
    const p: Pending = { id: id ?? uuidv7(t), type, t, props, page: page ?? pages._page() ?? { path: pages._path(), kind: getPageKind(location.pathname, rules) }, hold, landing };
    if (consent === 'granted') deliver(p);
    else if (consent === 'denied') count('consent');
    // Pending: memory only. A held engagement is not kept: the final one follows if the page lives on.
    else if (!hold) buffer.length < o.limits.maxEvents ? buffer.push(p) : count('overflow');
    return p.id;
  };

  const flushAll = (unload?: boolean) => Promise.all(queues.map((q) => q._flush(unload))).then(() => {});

  // Storage is read and written only once consent is granted: reading a stored id is already "access" under ePrivacy.
  const grant = () => {
    const [alive, release] = holdTabLock(tab);
    releaseTab = release;
    visits = createVisits(key, storage, o.visitTimeoutMs);
    const log = o.debug ? (...args: unknown[]) => console.debug('[inkling]', ...args) : undefined;
    // Opening IndexedDB fails inside the store's promise (blocked, private mode, hanging): the queue falls back to memory.
    queues = o.transports.map((transport) => createQueue(transport, o.limits, { site: o.site, tab, alive, report, log, store: openStore(queueName(transport.name)) }));
    intent = createIntent(
      model,
      openStore(`${o.site}:state`),
      (change) => {
        emit('intent', change);
        listeners.forEach((callback) => {
          try {
            callback(change);
          } catch (error) {
            report(error);
          }
        });
      },
      report,
    );
    buffer.splice(0).forEach(deliver);
  };

  const erase = (reason: DropReason) => {
    count(reason, buffer.splice(0).length);
    intent?._reset();
    try {
      storage?.removeItem(key);
    } catch {}
    return Promise.all(queues.map((q) => q._clear(reason)));
  };

  const setConsent = (state: ConsentState, fromOtherTab?: boolean) => {
    if (!/^(granted|denied)$/.test(state)) return report(new TypeError(`Inkling: consent() takes "granted" or "denied"; got ${state}`));
    if (state === consent) return;
    consent = state;
    if (!fromOtherTab) channel?.postMessage(state);
    if (state === 'granted') return grant();
    pages._end();
    erase('consent')
      .then(() => {
        queues.forEach((q) => q._stop());
        queues = [];
        visits = intent = undefined;
        delete document.documentElement.dataset['inklingIntent'];
        releaseTab();
        return deleteStores([`${o.site}:state`, ...o.transports.map((t) => queueName(t.name))]);
      })
      .catch(report);
  };

  const startPage = (how: Navigation) => o.autoPageViews !== false && pages._start(how);

  const pages = createPageViews({
    rules,
    articles: o.articles,
    scrollRoot: o.scrollRoot,
    scrub: compileScrubParams(o.scrubParams),
    topics: compileKindRules(o.topics ?? {}),
    count,
    emit,
    remove: (id) => queues.forEach((q) => q._remove(id)),
    activity(t) {
      if (!visits?._expired(t)) visits?._touch(t);
      // Back after the visit timed out, on a page left open: a new visit, seeing this page anew.
      else if (pages._page()) startPage('resume');
    },
  });

  // Routers change the URL first and the title a moment later; a redirect is one navigation.
  const onNavigate = () => setTimeout(() => stopped || pages._path() === pages._page()?.path || startPage('spa'));
  for (const name of ['pushState', 'replaceState'] as const) {
    const original = history[name];
    history[name] = function (this: History, ...args: Parameters<History['pushState']>) {
      original.apply(this, args);
      onNavigate();
    };
  }

  // Perhaps only a tab switch: the engagement is stored but held back, so it is sent once, when the page view ends.
  const onHidden = () => {
    pages._end(true);
    visits?._save();
  };
  // The page is gone, or may be (frozen pages can be discarded without another event): end the page view.
  const onGone = () => {
    leaving = false;
    pages._end();
    visits?._save();
    flushAll(true);
  };
  const stops = [
    listen(document, 'visibilitychange', () => {
      if (!document.hidden) {
        visits?._expired(Date.now()) ? startPage('resume') : pages._resume();
        flushAll();
      } else if (leaving) onGone();
      else {
        onHidden();
        flushAll(true);
      }
    }),
    // Never `unload` or `beforeunload`: they keep pages out of the back/forward cache.
    // Leaving by a link, Chrome fires pagehide while the page is still visible, then visibilitychange: the view
    // ends there, after web-vitals has reported its last values (on hidden). Held until then, in case it never comes.
    listen(window, 'pagehide', () => (document.hidden ? onGone() : ((leaving = true), onHidden()))),
    listen(window, 'pageshow', (e) => {
      leaving = false;
      if ((e as PageTransitionEvent).persisted) startPage('bfcache');
    }),
    // Chrome freezes background tabs and may discard them without another event (Page Lifecycle API).
    // A page entering the back/forward cache is frozen too, after its view ended: it restarts
    // on pageshow, not on resume.
    listen(document, 'freeze', () => {
      frozen = !!pages._page();
      onGone();
    }),
    listen(document, 'resume', () => frozen && startPage('resume')),
    listen(window, 'popstate', onNavigate),
  ];
  if (channel) channel.onmessage = (e) => setConsent(e.data, true);

  const tracker = {
    /** Time of the call being replayed from the script tag's command queue, else 0 (now). */
    _at: 0,
    track(name: string, props?: JsonObject) {
      if (typeof name !== 'string' || !name || name.length > 128) throw new TypeError(`Inkling: track() needs an event name of 1 to 128 characters; got ${name}`);
      emit('track', { ...(scrubProps(props ?? {}) as JsonObject), name });
    },
    identify(id: string, traits?: JsonObject) {
      if (typeof id !== 'string' || !id || id.length > 256 || hasEmail(id)) throw new TypeError(`Inkling: identify() needs your own id for the lead (1 to 256 characters, not an e-mail address); got ${id}`);
      emit('identify', traits ? { userId: id, traits: scrubProps(traits) as JsonObject } : { userId: id });
    },
    page: () => pages._start('spa'),
    flush: () => flushAll(),
    consent: (state: ConsentState) => setConsent(state),
    async forget() {
      if (!visits) return void erase('forget');
      await erase('forget');
      // The erasure request is queued like any event (with the old visitor id), so it survives being offline.
      const page = pages._page();
      pages._end();
      emit('forget', {}, { page });
      visits = createVisits(key, storage, o.visitTimeoutMs);
      await flushAll();
    },
    getStats() {
      const total: Stats = { queued: buffer.length, sent: 0, retried: 0, dropped: { ...dropped }, transports: {} };
      queues.forEach((q, i) => {
        const s = (total.transports[o.transports[i]!.name] = q._stats());
        for (const k of ['queued', 'sent', 'retried'] as const) total[k] += s[k];
        for (const k in s.dropped) total.dropped[k as DropReason] = (total.dropped[k as DropReason] ?? 0) + s.dropped[k as DropReason]!;
      });
      return total;
    },
    vitals: (values: Vitals) => pages._vitals(values),
    getIntent: () => intent?._get() ?? scoreProfile(createProfile(), model, Date.now()),
    onIntent(callback: (intent: Intent) => void) {
      if (typeof callback !== 'function') throw new TypeError('Inkling: onIntent() needs a function');
      listeners.add(callback);
      return () => void listeners.delete(callback);
    },
    stop() {
      onGone();
      stopped = true;
      stops.forEach((stop) => stop());
      pages._stop();
      queues.forEach((q) => q._stop());
      channel?.close();
      releaseTab();
    },
  };

  // After start-up nothing Inkling does may throw into the page: every method reports its errors instead.
  for (const [name, fn] of Object.entries(tracker)) {
    if (typeof fn === 'function') {
      (tracker as Record<string, unknown>)[name] = (...args: unknown[]) => {
        try {
          if (stopped && name !== 'getStats') return;
          const result = (fn as (...a: unknown[]) => unknown).apply(tracker, args);
          return result instanceof Promise ? result.catch(report) : result;
        } catch (error) {
          report(error);
        }
      };
    }
  }

  if (consent === 'granted') grant();
  startPage('load');
  return tracker;
}
