import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ENDPOINT, startCollector } from '../test/collector.js';
import { createTracker } from './tracker.js';
import type { Tracker } from './tracker.js';
import { createCallbackTransport } from './transport/callback.js';
import type { Batch } from '@inkling/core';

const collector = startCollector();
let trackers: Tracker[] = [];
const start = (options: Parameters<typeof createTracker>[0] = {}) => {
  const t = createTracker({ endpoint: ENDPOINT, site: 'test', ...options });
  trackers.push(t);
  return t;
};

beforeEach(() => {
  history.replaceState(null, '', '/pricing?plan=team&token=secret');
  document.title = 'Pricing';
  localStorage.clear();
});
afterEach(async () => {
  trackers.forEach((t) => t.stop());
  trackers = [];
  await new Promise((r) => setTimeout(r, 10));
  expect(collector.invalid).toEqual([]);
  collector.reset();
});
afterAll(() => collector.close());

describe('createTracker options', () => {
  it.each([
    [{}, 'option "endpoint" must be your collector\'s URL'],
    [{ endpoint: 'ftp://x.example' }, 'option "endpoint" must be your collector\'s http(s) URL'],
    [{ endpoint: ENDPOINT, consent: 'yes' }, 'option "consent" must be "pending", "granted" or "denied"; got "yes"'],
    [{ endpoint: ENDPOINT, site: 'a b' }, 'option "site" must be'],
    [{ endpoint: ENDPOINT, kinds: { pricing: 'plans' } }, 'option "kinds" must be kind names mapped to paths starting with "/"'],
    [
      { endpoint: ENDPOINT, topics: { payroll: 'guides/payroll' } },
      'option "topics" must be topic names of 1 to 64 characters mapped to paths starting with "/", e.g. { reconciliation: "/guides/close/*" }; got "payroll"',
    ],
    [{ endpoint: ENDPOINT, topics: '/guides/*' }, 'option "topics" must be topic names mapped to paths'],
    [{ endpoint: ENDPOINT, articles: '<<' }, 'option "articles" must be a CSS selector'],
    [{ endpoint: ENDPOINT, scrollRoot: '##' }, 'option "scrollRoot" must be a CSS selector, e.g. "#reader"; got "##"'],
    [{ endpoint: ENDPOINT, debug: 'yes' }, 'option "debug" must be true or false; got "yes"'],
    [{ endpoint: ENDPOINT, queue: { batchEvents: 500 } }, 'option "queue.batchEvents" must be a whole number from 1 to 100; got 500'],
    [{ endpoint: ENDPOINT, transports: [{ name: 'x' }] }, 'option "transports" must be transports with a send() method'],
    [{ endpoint: ENDPOINT, onError: 'log' }, 'option "onError" must be a function'],
  ])('rejects %j naming the option and the fix', (options, message) => {
    expect(() => createTracker(options as never)).toThrow(message);
  });
});

describe('the tracker', () => {
  it('sends a page_view with the kind and a scrubbed path as text/plain JSON', async () => {
    const tracker = start();
    await tracker.flush();
    const [request] = collector.requests;
    expect(request!.headers.get('content-type')).toMatch(/^text\/plain/);
    const [batch] = collector.batches as [Batch];
    expect(batch).toMatchObject({ v: 1, site: 'test' });
    expect(batch.events.map((e) => e.type)).toEqual(['visit_start', 'page_view']);
    expect(batch.events[1]).toMatchObject({
      type: 'page_view',
      page: { path: '/pricing?plan=team', title: 'Pricing', kind: 'pricing' },
      props: { nav: 'load' },
    });
  });

  it('scrubs e-mail addresses from props and refuses an e-mail as identity', async () => {
    const onError = vi.fn();
    const tracker = start({ onError });
    tracker.track('demo_request', { note: 'call jane@acme.io', seats: 12 });
    tracker.identify('jane@acme.io');
    await tracker.flush();
    expect(collector.events().find((e) => e.type === 'track')?.props).toEqual({ name: 'demo_request', note: 'call [email]', seats: 12 });
    expect(collector.events().some((e) => e.type === 'identify')).toBe(false);
    expect(onError.mock.calls[0]?.[0].message).toMatch(/identify\(\) needs your own id/);
  });

  it('scrubs the referrer everywhere it is sent, the visit_start included', async () => {
    Object.defineProperty(document, 'referrer', {
      configurable: true,
      get: () => 'https://mail.example/read?to=jane@acme.io&session=1&id=7',
    });
    try {
      const tracker = start();
      await tracker.flush();
      const sent = JSON.stringify(collector.events());
      expect(sent).not.toMatch(/jane@acme|session=1/);
      expect(collector.events().find((e) => e.type === 'visit_start')?.props).toMatchObject({ referrer: 'https://mail.example/read?id=7' });
    } finally {
      delete (document as { referrer?: string }).referrer;
    }
  });

  it('never throws into the page after start-up', () => {
    const onError = vi.fn();
    const tracker = start({ onError });
    expect(() => tracker.track(undefined as never)).not.toThrow();
    expect(() => tracker.consent('maybe' as never)).not.toThrow();
    expect(onError).toHaveBeenCalledTimes(2);
  });

  it('links the first identity and keeps it', async () => {
    const tracker = start();
    tracker.identify('lead-1', { company: 'Acme' });
    tracker.identify('lead-2');
    tracker.track('demo_request');
    await tracker.flush();
    const events = collector.events();
    expect(events.filter((e) => e.type === 'identify').map((e) => [e.user, e.props])).toEqual([
      ['lead-1', { userId: 'lead-1', traits: { company: 'Acme' } }],
      ['lead-1', { userId: 'lead-2' }],
    ]);
    expect(events.find((e) => e.type === 'track')?.user).toBe('lead-1');
  });

  it('ends the page view and starts another on an SPA navigation, with engagement for each', async () => {
    const tracker = start();
    history.pushState(null, '', '/blog/close-faster');
    await new Promise((r) => setTimeout(r, 5));
    history.pushState(null, '', '/docs');
    await new Promise((r) => setTimeout(r, 5));
    tracker.stop();
    await new Promise((r) => setTimeout(r, 20));
    const views = collector.events().filter((e) => e.type === 'page_view');
    const engagements = collector.events().filter((e) => e.type === 'page_engagement');
    expect(views.map((e) => [e.page.path, e.page.kind, e.props])).toEqual([
      ['/pricing?plan=team', 'pricing', { nav: 'load' }],
      ['/blog/close-faster', 'article', { nav: 'spa' }],
      ['/docs', 'docs', { nav: 'spa' }],
    ]);
    expect(engagements.map((e) => (e.props as { pageViewId: string }).pageViewId)).toEqual(views.map((e) => e.id));
    expect(views[1]!.page.referrer).toBe('http://localhost:3000/pricing?plan=team');
  });

  it('re-reads the topics at every SPA navigation and counts the ones left out', async () => {
    document.head.innerHTML = '<meta property="article:tag" content="Pricing Plans">';
    const tracker = start({ topics: { reconciliation: '/guides/close/*' } });
    document.head.innerHTML = '<meta property="article:tag" content="ann@example.com">';
    history.pushState(null, '', '/guides/close/checklist');
    await new Promise((r) => setTimeout(r, 5));
    document.head.innerHTML = '';
    history.pushState(null, '', '/about');
    await new Promise((r) => setTimeout(r, 5));
    expect(tracker.getStats().dropped).toMatchObject({ 'topic-private': 1 });
    tracker.stop();
    await new Promise((r) => setTimeout(r, 20));
    expect(
      collector
        .events()
        .filter((e) => e.type === 'page_view')
        .map((e) => e.props),
    ).toEqual([{ nav: 'load', topics: ['pricing plans'] }, { nav: 'spa', topics: ['reconciliation'] }, { nav: 'spa' }]);
  });

  it('calls onIntent listeners on a level change, and never again once unsubscribed, across a consent grant', async () => {
    // A site of its own: the level is stored per site, and other tests' visitors may have made it hot already.
    const tracker = start({ consent: 'pending', site: 'intent-listeners' });
    const heard: string[] = [];
    const gone: string[] = [];
    tracker.onIntent((i) => heard.push(i.level));
    const off = tracker.onIntent((i) => gone.push(i.level));
    tracker.consent('granted');
    off();
    tracker.track('demo_request');
    // Scored once the stored profile is read, not in the call: the listener hears it a moment later.
    await vi.waitFor(() => expect(heard).toEqual(['hot']));
    await tracker.flush();
    expect(heard).toEqual(['hot']);
    expect(gone).toEqual([]);
    expect(
      collector
        .events()
        .filter((e) => e.type === 'intent')
        .map((e) => (e.props as { level: string }).level),
    ).toEqual(['hot']);
  });

  it('honours Do Not Track only when the site asks: nothing stored or sent', async () => {
    Object.defineProperty(navigator, 'doNotTrack', { configurable: true, get: () => '1' });
    try {
      await start({ respectDnt: true }).flush();
      expect(collector.events()).toEqual([]);
      expect(Object.keys(localStorage).filter((k) => k.startsWith('inkling'))).toEqual([]);
      await start({ respectDnt: false }).flush();
      expect(collector.events().map((e) => e.type)).toEqual(['visit_start', 'page_view']);
    } finally {
      delete (navigator as { doNotTrack?: string }).doNotTrack;
    }
  });

  it('does no tracking work under Global Privacy Control, and starts in full once consent is granted', async () => {
    Object.defineProperty(navigator, 'globalPrivacyControl', { configurable: true, get: () => true });
    // Window and document have their own listener methods in happy-dom: spied on each (calls go through).
    const spies = (method: 'addEventListener' | 'removeEventListener') => [vi.spyOn(window, method), vi.spyOn(document, method)];
    const types = (list: ReturnType<typeof spies>) => list.flatMap((spy) => spy.mock.calls.map(([type]) => type));
    const adds = spies('addEventListener');
    const removes = spies('removeEventListener');
    const timers = vi.spyOn(globalThis, 'setTimeout');
    const frames = vi.spyOn(globalThis, 'requestAnimationFrame');
    const observers: unknown[] = [];
    const Observer = globalThis.IntersectionObserver;
    globalThis.IntersectionObserver = class extends Observer {
      constructor(...args: ConstructorParameters<typeof IntersectionObserver>) {
        super(...args);
        observers.push(this);
      }
    };
    const pushState = history.pushState;
    try {
      const tracker = start({ articles: 'main' });
      tracker.track('video_play');
      tracker.page();
      await tracker.flush();
      // Nothing built, nothing listened to, no timer, no observer, history untouched: only the site's own call is counted.
      expect(types(adds)).toEqual([]);
      expect(timers).not.toHaveBeenCalled();
      expect(frames).not.toHaveBeenCalled();
      expect(observers).toEqual([]);
      expect(history.pushState).toBe(pushState);
      expect(tracker.getStats().dropped).toEqual({ consent: 1 });
      expect(localStorage.length).toBe(0);

      tracker.consent('granted');
      await tracker.flush();
      expect(collector.events().map((e) => e.type)).toEqual(['visit_start', 'page_view']);
      expect(types(adds)).toEqual(expect.arrayContaining(['pointerdown', 'wheel', 'visibilitychange', 'pagehide']));
      expect(observers.length).toBeGreaterThan(0);
      expect(history.pushState).not.toBe(pushState);

      // Refused again: the page view ends (its engagement counted, not built) and every listener goes.
      tracker.consent('denied');
      expect(types(removes)).toEqual(expect.arrayContaining(['pointerdown', 'wheel', 'visibilitychange', 'pagehide']));
      expect(tracker.getStats().dropped).toEqual({ consent: 2 });
    } finally {
      globalThis.IntersectionObserver = Observer;
      vi.restoreAllMocks();
      delete (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl;
    }
  });

  it('keeps no visitor id in anonymous mode: each page load is a new visitor, and nothing is in localStorage', async () => {
    await start({ anonymous: true }).flush();
    await start({ anonymous: true }).flush();
    const starts = collector.events().filter((e) => e.type === 'visit_start');
    expect(starts.map((e) => (e.props as { idSource: string }).idSource)).toEqual(['memory', 'memory']);
    expect(new Set(starts.map((e) => e.visitor)).size).toBe(2);
    expect(localStorage.length).toBe(0);
  });

  it('ends the page view on the visibilitychange after a visible pagehide, with the vitals reported on hidden', async () => {
    // Leaving by a link, Chrome fires pagehide while the page is still visible, then visibilitychange; web-vitals
    // reports an interaction it has not processed yet only on that visibilitychange.
    let state: DocumentVisibilityState = 'visible';
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => state === 'hidden' });
    try {
      const tracker = start();
      await tracker.flush();
      dispatchEvent(new PageTransitionEvent('pagehide'));
      await new Promise((r) => setTimeout(r, 20));
      expect(collector.events().filter((e) => e.type === 'page_engagement')).toEqual([]);
      state = 'hidden';
      tracker.vitals({ inp: 168 });
      document.dispatchEvent(new Event('visibilitychange'));
      await new Promise((r) => setTimeout(r, 20));
      const engagements = collector.events().filter((e) => e.type === 'page_engagement');
      expect(engagements.map((e) => (e.props as { vitals?: object }).vitals)).toEqual([{ inp: 168 }]);
    } finally {
      delete (document as { visibilityState?: string }).visibilityState;
      delete (document as { hidden?: boolean }).hidden;
    }
  });

  it('does not start a page view when the URL did not change', async () => {
    const tracker = start();
    history.replaceState({ scroll: 1 }, '', location.href);
    await new Promise((r) => setTimeout(r, 5));
    await tracker.flush();
    expect(collector.events().filter((e) => e.type === 'page_view')).toHaveLength(1);
  });

  it('sends to several transports, each with its own queue', async () => {
    const received: Batch[] = [];
    const tracker = start({ transports: [createCallbackTransport((batch) => void received.push(batch))] });
    tracker.track('video_play');
    await tracker.flush();
    expect(received.flatMap((b) => b.events.map((e) => e.id))).toEqual(collector.events().map((e) => e.id));
    expect(tracker.getStats()).toMatchObject({ queued: 0, sent: 6, transports: { http: { sent: 3 }, callback: { sent: 3 } } });
  });

  it('logs each send with the counters in debug mode', async () => {
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => {});
    const tracker = start({ debug: true });
    await tracker.flush();
    expect(debug).toHaveBeenCalledWith('[inkling]', 'http', 202, '2 event(s)', { queued: 0, sent: 2, retried: 0, dropped: {} });
    debug.mockRestore();
  });

  it('drops an event over 8 KiB and counts it', async () => {
    const onError = vi.fn();
    const tracker = start({ onError });
    tracker.track('big', { blob: Array.from({ length: 10 }, () => 'x'.repeat(2000)) });
    await tracker.flush();
    expect(collector.events().some((e) => e.type === 'track')).toBe(false);
    expect(tracker.getStats().dropped).toEqual({ 'too-large': 1 });
    expect(onError.mock.calls[0]?.[0].message).toMatch(/over the 8192-byte limit/);
  });
});
