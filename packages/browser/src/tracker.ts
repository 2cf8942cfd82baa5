import { uuidv7 } from '@inkling/core';
import type { Intent, JsonObject, Vitals } from '@inkling/core';
import { toGroup } from './account.js';
import { toIdentify, toTrack } from './calls.js';
import { createConsent, getInitialConsent } from './consent.js';
import { guardMethods } from './lib/guard-methods.js';
import { createReport } from './lib/report.js';
import { checkOptions, resolveOptions } from './options.js';
import type { ConsentState, TrackerOptions } from './options.js';
import { createServerTracker } from './server-tracker.js';
import { compileKindRules, DEFAULT_KIND_RULES, getPageKind } from './signals/page-kind.js';
import { createPageTracking } from './signals/track-pages.js';
import type { Emit } from './signals/page-views.js';
import { createIntentListeners } from './intent.js';
import { createVisitor } from './visitor.js';
import type { Stats } from './visitor.js';
import { now } from './lib/now.js';

export { MAX_EVENT_BYTES } from './visitor.js';
export type { Stats } from './visitor.js';

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
  /**
   * Puts this visitor in an account (a company) by your own id, so its people's research adds up: every later
   * event carries it, in this browser until `forget()` or a refusal of consent. Traits are scrubbed like
   * identify's. A later call moves the visitor to another account; `group(null)` leaves it.
   * @example tracker.group('acct_northwind', { name: 'Northwind', plan: 'team' })
   */
  group(accountId: string | null, traits?: JsonObject): void;
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

/**
 * Starts tracking: page views, engaged and attentive time, scroll depth, qualified article reads and
 * visits, delivered through an offline-first queue. Throws a TypeError naming a bad option; after that,
 * errors go to `onError` and never into the page. On a server (no `window`) it returns a tracker that does
 * nothing, so code that also renders on the server can call it.
 *
 * @example
 * const inkling = createTracker({ endpoint: 'https://collect.example.com/i' });
 * inkling.track('demo_request');
 */
export function createTracker(options: TrackerOptions): Tracker {
  // No window, no page to track (server rendering): the same API doing nothing, so render code can call this.
  if (typeof window === 'undefined') return createServerTracker(options);
  checkOptions(options);
  return startTracker(options);
}

/**
 * createTracker() without the checks of what only a program can set: the script tag starts here. It wires
 * the parts together; the decisions live in them: consent (`consent.ts`), what is kept of the visitor and
 * delivered (`visitor.ts`), the page views and their lifecycle (`signals/`).
 *
 * Internal members start with `_` on purpose: the script-tag build's minifier mangles those property names
 * (never a public one), in this module and every other.
 */
export function startTracker(options: TrackerOptions): Tracker & { _at: number } {
  const o = resolveOptions(options);
  const report = createReport(o);
  const rules = compileKindRules(o.kinds ?? {}, DEFAULT_KIND_RULES);
  const [onIntent, callListeners] = createIntentListeners(report);
  let stopped = false;
  const visitor = createVisitor(o, uuidv7(), report, (change) => {
    emit('intent', change);
    callListeners(change);
  });

  // Refused consent builds nothing: `consent` counts the call instead.
  const emit: Emit = (type, props, { id, _hold, page, _landing } = {}) => {
    const t = tracker._at || now();
    return (
      consent._pass(() => ({
        id: id ?? uuidv7(t),
        type,
        t,
        props,
        page: page ?? pages._page() ?? { path: pages._path(), kind: getPageKind(location.pathname, rules) },
        _hold,
        _landing,
      })) ?? ''
    );
  };
  const [pages, run, halt, page] = createPageTracking(o, rules, visitor, emit);

  const tracker = {
    /** Time of the call being replayed from the script tag's command queue, else 0 (now). */
    _at: 0,
    track: (name: string, props?: JsonObject) => void emit(...toTrack(name, props)),
    identify: (id: string, traits?: JsonObject) => void emit(...toIdentify(id, traits)),
    group: (id: string | null, traits?: JsonObject) => void emit(...toGroup(id, traits)),
    page,
    flush: () => visitor._flush(),
    consent: (state: ConsentState) => consent._set(state),
    async forget() {
      consent._drop('forget');
      const erased = visitor._erase('forget');
      // Without consent granted nothing was stored or sent: dropping what `pending` kept is the whole erasure.
      if (!visitor._visits) return;
      await erased;
      // The erasure request is queued like any event (with the old visitor id), so it survives being offline.
      const view = pages._page();
      pages._end();
      emit('forget', {}, { page: view });
      visitor._renew();
      await visitor._flush();
    },
    getStats: () => visitor._stats(consent._kept()),
    vitals: pages._vitals,
    getIntent: visitor._intent,
    onIntent,
    stop() {
      halt();
      stopped = true;
      visitor._stop();
      consent._stop();
    },
  };
  // After start-up nothing Inkling does may throw into the page: every method reports its errors instead.
  guardMethods(tracker, report, (name) => stopped && name !== 'getStats');

  const initialConsent = getInitialConsent(o);
  // Refused after all: the page view ends (its engagement counted as dropped) and tracking stops before
  // everything is erased. Granted after a refusal: tracking starts, with this page's view.
  const consent = createConsent(`inkling:${o.site}`, initialConsent, o.limits.maxEvents, visitor, report, () => halt(true), run);
  if (initialConsent === 'granted') visitor._open();
  // Refused (or Global Privacy Control): no page view, no listener, no timer; only the consent channel waits.
  if (initialConsent !== 'denied') run();
  return tracker;
}
