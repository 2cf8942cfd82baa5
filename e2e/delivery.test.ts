// Delivery in real Chromium (issue 4): the built script on one origin, a recording collector on another,
// and the faults a visitor's browser meets — offline, errors, tabs, crashes, unloads, a broken IndexedDB,
// a full queue, an ad blocker. Each test asserts on what the collector accepted, by event id; the numbers
// of every scenario are printed as one table at the end of the run.
import type { Browser, BrowserContext, ConsoleMessage, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SWITCHABLE_VISIBILITY, launchChromium } from './chromium.js';
import { page as html, startCollector, startSite } from './collector.js';
import type { Collector, Recorded } from './collector.js';
import {
  command,
  formatTable,
  liveTabs,
  modulePage,
  numbers,
  range,
  serveOffline,
  settle,
  startModuleSite,
  storedCount,
  tally,
  timeRequests,
  track,
  tracked,
  until,
} from './delivery-pages.js';
import type { Row } from './delivery-pages.js';

interface Stats {
  queued: number;
  sent: number;
  retried: number;
  dropped: Record<string, number>;
}

let browser: Browser;
const rows: Row[] = [];
const cleanups: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  browser = await launchChromium();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});
afterAll(async () => {
  await browser?.close();
  // The scenario table is a report, printed only when asked for (INKLING_E2E_REPORT=1): a test run writes nothing to
  // stdout but vitest's own results.
  if (rows.length && process.env['INKLING_E2E_REPORT'] === '1')
    process.stderr.write(`Delivery scenarios (events tracked / unique received / duplicates):\n${formatTable(rows)}\n`);
});

/**
 * A collector, a site serving `pages(endpoint)` with the built script, and a fresh browser context (its
 * own IndexedDB and Web Locks), all closed after the test.
 */
async function setup(pages: (endpoint: string) => Record<string, string>, { modules = false } = {}) {
  const collector = await startCollector();
  const arrived = timeRequests(collector);
  const endpoint = `${collector.url}/i`;
  const served = pages(endpoint);
  const site = await (modules ? startModuleSite : startSite)(served);
  const context = await browser.newContext();
  cleanups.push(
    () => collector.close(),
    () => site.close(),
    () => context.close(),
  );
  const open = async (path = '/', into?: Page) => {
    const page = into ?? (await context.newPage());
    await page.goto(site.url + path);
    return page;
  };
  const posts = () => collector.requests.filter((r) => r.method === 'POST');
  return { collector, arrived, endpoint, site, pages: served, context, open, posts };
}

/** Adds a row to the summary from the `track` events of `s` (and all events) the collector accepted. */
function record(collector: Collector, s: string, scenario: string, trackedCount: number, note = ''): ReturnType<typeof tally> {
  const mine = tally(tracked(collector, s));
  rows.push({
    scenario,
    tracked: trackedCount,
    unique: mine.unique,
    duplicates: mine.duplicates,
    duplicatesAll: tally(collector.events()).duplicates,
    posts: collector.requests.filter((r) => r.method === 'POST').length,
    note,
  });
  return mine;
}

const getStats = (page: Page) => command<Stats>(page, 'getStats');
const ids = (r: Recorded) => r.batch?.events.map((e) => e.id) ?? [];
const waitTracked = (collector: Collector, scenario: string, count: number, timeoutMs = 15_000) =>
  until(
    () => tally(tracked(collector, scenario)).unique >= count,
    `${count} ${scenario} events at the collector (got ${tally(tracked(collector, scenario)).unique})`,
    timeoutMs,
  );

/**
 * Takes the browser offline or back online, and waits until `page` sees it: Chromium tells the page
 * (navigator.onLine, then the `offline` or `online` event) a moment after the emulation changes.
 */
async function setOnline(context: BrowserContext, page: Page, online: boolean): Promise<void> {
  await context.setOffline(!online);
  await until(async () => (await page.evaluate(() => navigator.onLine)) === online, `the page ${online ? 'online' : 'offline'}`);
}

/** How many accepted batches had events accepted again later: the first batch each duplicate arrived in. */
function duplicateBatches(collector: Collector): number {
  const first = new Map<string, Recorded>();
  const repeated = new Set<Recorded>();
  for (const r of collector.requests.filter((r) => r.batch && r.status < 300)) {
    for (const id of ids(r)) first.has(id) ? repeated.add(first.get(id)!) : first.set(id, r);
  }
  return repeated.size;
}

it('1. delivers 50 events tracked offline, across a reload, once back online, each once', async () => {
  const { collector, context, open, posts, site, pages } = await setup((endpoint) => ({
    '/': html(endpoint, '<p>Reading on a train</p>'),
  }));
  const page = await open();
  await setOnline(context, page, false);
  const postsBefore = posts().length;
  await track(page, 'offline', 50);
  // Stored before the page goes: the reload drops the memory mirror, so only IndexedDB can carry them over.
  await until(async () => (await storedCount(page, 'offline')) === 50, '50 events in IndexedDB');
  // The reload is served by the test, as a service worker or the HTTP cache would serve it offline. A reload
  // that fails instead commits Chromium's error page, and Playwright's offline emulation then tells the
  // unloading page it is online (an `online` event just before pagehide): a test artefact, not a train.
  await serveOffline(context, site.url, pages);
  // A page that did not come from the network has no address space, so Chromium's Local Network Access
  // check would refuse its requests to 127.0.0.1 (a public site posting to a public collector meets no such check).
  await context.grantPermissions(['local-network-access'], { origin: site.url });
  await page.reload();
  expect(await page.evaluate(() => navigator.onLine)).toBe(false);
  expect(posts()).toHaveLength(postsBefore);
  await context.unroute(`${site.url}/**`);
  await setOnline(context, page, true);
  await waitTracked(collector, 'offline', 50);
  await settle(collector);
  const { duplicates, ids: seen } = record(collector, 'offline', '1 offline + reload', 50);
  expect(numbers(tracked(collector, 'offline'))).toEqual(range(0, 50));
  expect(seen.size).toBe(50);
  expect(duplicates).toBe(0);
  // Nothing else lost either: the engagement the first page stored as it unloaded (offline, so unsent) arrives.
  const views = collector.events().filter((e) => e.type === 'page_view');
  const engaged = collector
    .events()
    .filter((e) => e.type === 'page_engagement')
    .map((e) => (e.props as { pageViewId: string }).pageViewId);
  expect(views).toHaveLength(2);
  expect(engaged).toContain(views.reduce((a, b) => (a.ts <= b.ts ? a : b)).id);
  expect((await getStats(page)).queued).toBe(0);
});

it('2. retries 500, 500 then delivers once, waiting the Retry-After of 3 s', async () => {
  const { collector, arrived, open, posts } = await setup((endpoint) => ({ '/': html(endpoint, '<p>Pricing</p>') }));
  collector.script.push(500, [500, { 'Retry-After': '3' }]);
  const page = await open();
  await track(page, 'retry', 5);
  await command(page, 'flush');
  await waitTracked(collector, 'retry', 5);
  await settle(collector);
  const [first, second, third] = posts();
  expect(posts().map((r) => r.status)).toEqual([500, 500, 202]);
  // The same batch each time, delivered by the third attempt only.
  expect(ids(second!)).toEqual(ids(first!));
  expect(ids(third!)).toEqual(ids(first!));
  // First retry: full jitter, up to 1 s. Second: the server's 3 s, not up to 2 s of backoff.
  const gaps = [arrived(second!) - arrived(first!), arrived(third!) - arrived(second!)];
  expect(gaps[0]).toBeLessThan(1500);
  expect(gaps[1]).toBeGreaterThanOrEqual(3000);
  expect(gaps[1]).toBeLessThan(4500);
  const stats = await getStats(page);
  expect(stats.retried).toBe(2 * ids(first!).length);
  expect(stats.dropped).toEqual({});
  const { duplicates } = record(
    collector,
    'retry',
    '2 500, 500+Retry-After 3, 202',
    5,
    `retry gaps ${gaps.map((g) => `${(g / 1000).toFixed(1)} s`).join(', ')}`,
  );
  expect(duplicates).toBe(0);
});

describe('3. rejected and too-large batches', () => {
  it('drops batches answered 400 or 422, counted as rejected, without retrying them', async () => {
    const { collector, open, posts } = await setup((endpoint) => ({ '/': html(endpoint, '<p>Docs</p>') }));
    collector.script.push(400, 422);
    const page = await open();
    await track(page, 'rejected', 3, 0);
    await command(page, 'flush');
    await until(() => posts().length === 1, 'the 400');
    await track(page, 'rejected', 3, 3);
    await command(page, 'flush');
    await until(() => posts().length === 2, 'the 422');
    const rejected = posts().flatMap(ids);
    // More sends after the rejections: a retry of a rejected batch would ride along with these.
    await track(page, 'rejected', 2, 6);
    await command(page, 'flush');
    await command(page, 'flush');
    await waitTracked(collector, 'rejected', 2);
    await settle(collector);
    const sentAgain = posts()
      .slice(2)
      .flatMap(ids)
      .filter((id) => rejected.includes(id));
    expect(posts().map((r) => r.status)).toEqual([400, 422, 202]);
    expect(sentAgain).toEqual([]);
    expect(numbers(tracked(collector, 'rejected'))).toEqual([6, 7]);
    expect((await getStats(page)).dropped).toEqual({ rejected: rejected.length });
    const { duplicates } = record(
      collector,
      'rejected',
      '3a 400, 422, then 202',
      8,
      `6 tracked + page_view, visit_start answered 400/422: dropped.rejected ${rejected.length}, none resent`,
    );
    expect(duplicates).toBe(0);
  });

  it('counts the events a 202 lists as rejected as dropped, the rest as sent, and sends none of them again', async () => {
    const { collector, open, posts } = await setup((endpoint) => ({ '/': html(endpoint, '<p>Docs</p>') }));
    const answer = JSON.stringify({
      accepted: 2,
      duplicates: 0,
      rejected: [{ index: 0, code: 'invalid_event', message: 'events[0].id: expected a UUIDv7' }],
    });
    collector.script.push([202, { 'content-type': 'application/json' }, answer]);
    const page = await open();
    await track(page, 'partial', 3, 0);
    await command(page, 'flush');
    await until(() => posts().length === 1, 'the partly accepted batch');
    const [first] = posts();
    await track(page, 'partial', 2, 3);
    await command(page, 'flush');
    await until(() => posts().length === 2, 'the next batch');
    await settle(collector);
    expect(posts().map((r) => r.status)).toEqual([202, 202]);
    expect(posts().slice(1).flatMap(ids)).not.toContain(ids(first!)[0]);
    const stats = await getStats(page);
    expect(stats.dropped).toEqual({ rejected: 1 });
    expect(stats.sent).toBe(posts().flatMap(ids).length - 1);
  });

  it('splits a batch answered 413 and delivers both halves once', async () => {
    const { collector, open, posts } = await setup((endpoint) => ({ '/': html(endpoint, '<p>Blog</p>') }));
    collector.script.push(413);
    const page = await open();
    await track(page, 'split', 10);
    await command(page, 'flush');
    await waitTracked(collector, 'split', 10);
    await settle(collector);
    const [tooLarge, ...rest] = posts();
    expect(tooLarge!.status).toBe(413);
    const sizes = rest.map((r) => ids(r).length);
    expect(sizes).toEqual([Math.ceil(ids(tooLarge!).length / 2), Math.floor(ids(tooLarge!).length / 2)]);
    // The halves are the 413'd batch, in order.
    expect(rest.flatMap(ids)).toEqual(ids(tooLarge!));
    expect((await getStats(page)).dropped).toEqual({});
    const { duplicates, unique } = record(
      collector,
      'split',
      '3b 413 split',
      10,
      `batch of ${ids(tooLarge!).length} -> ${sizes.join(' + ')}`,
    );
    expect(unique).toBe(10);
    expect(duplicates).toBe(0);
  });
});

it('4. two tabs tracking 100 events each deliver every id exactly once', async () => {
  const { collector, open } = await setup((endpoint) => ({ '/a': html(endpoint, '<p>Tab A</p>'), '/b': html(endpoint, '<p>Tab B</p>') }));
  const a = await open('/a');
  // Tab A has events stored and unsent (a partial batch waits 5 s) when tab B starts sending: B's look for
  // orphans must leave a live tab's events alone, or both tabs send them.
  await track(a, 'tabs', 20, 0);
  await until(async () => (await storedCount(a, 'tabs')) === 20, "tab A's events in IndexedDB");
  const b = await open('/b');
  await command(b, 'flush');
  await Promise.all([track(a, 'tabs', 80, 20), track(b, 'tabs', 100, 100)]);
  await Promise.all([command(a, 'flush'), command(b, 'flush')]);
  await waitTracked(collector, 'tabs', 200);
  await settle(collector);
  const { unique, duplicates } = record(collector, 'tabs', '4 two tabs x 100', 200);
  expect(numbers(tracked(collector, 'tabs'))).toEqual(range(0, 200));
  expect(unique).toBe(200);
  expect(duplicates).toBe(0);
  expect(tally(collector.events()).duplicates).toBe(0);
});

describe('5. the sending tab dies mid-request', () => {
  /**
   * Tab A tracks 30 events; its first batch of 25 reaches the collector, which never answers; then the tab
   * dies by `kill`. Tab B, opened next on the site, adopts and sends what A left in IndexedDB.
   */
  async function dieMidRequest(scenario: string, kill: (page: Page, context: BrowserContext) => Promise<unknown>) {
    const s = await setup((endpoint) => ({ '/': html(endpoint, '<p>Case study</p>'), '/blank': '<!doctype html><p>No tracker here</p>' }));
    s.collector.script.push('hang');
    const a = await s.open();
    await track(a, scenario, 30);
    await until(() => s.posts().length === 1, 'the batch that hangs');
    await until(async () => (await storedCount(a, scenario)) === 30, '30 events in IndexedDB');
    await kill(a, s.context);
    // The next page adopts only once the browser has released the dead tab's lock (asynchronous after a crash).
    const probe = await s.open('/blank');
    await until(async () => (await liveTabs(probe)) === 0, "the dead tab's lock released");
    const b = await s.open('/');
    // B becomes a sender: it adopts what dead tabs left when it starts sending.
    await command(b, 'flush');
    await waitTracked(s.collector, scenario, 30);
    await settle(s.collector);
    return s;
  }

  it('closed: nothing is lost and at most one batch arrives twice', async () => {
    const { collector } = await dieMidRequest('closed', (page) => page.close());
    const mine = record(collector, 'closed', '5a tab closed mid-request', 30);
    const batches = duplicateBatches(collector);
    rows.at(-1)!.note = `duplicate batches: ${batches} (the keepalive batch sent on close, resent by the next tab)`;
    expect(numbers(tracked(collector, 'closed'))).toEqual(range(0, 30));
    expect(mine.unique).toBe(30);
    expect(batches).toBeLessThanOrEqual(1);
  });

  it('crashed: nothing is lost and at most one batch arrives twice', async () => {
    const { collector } = await dieMidRequest('crashed', async (page, context) => {
      const cdp = await context.newCDPSession(page);
      // Page.crash never answers: the renderer it would answer from is gone.
      cdp.send('Page.crash').catch(() => {});
      await page.waitForEvent('crash');
    });
    const mine = record(collector, 'crashed', '5b tab crashed mid-request', 30);
    const batches = duplicateBatches(collector);
    rows.at(-1)!.note = `duplicate batches: ${batches}`;
    expect(numbers(tracked(collector, 'crashed'))).toEqual(range(0, 30));
    expect(mine.unique).toBe(30);
    expect(batches).toBeLessThanOrEqual(1);
  });
});

it('6. a page closed right after tracking sends a keepalive request without a CORS preflight', async () => {
  const { collector, arrived, open, posts, site } = await setup((endpoint) => ({ '/': html(endpoint, '<p>About us</p>') }));
  const page = await open();
  await track(page, 'unload', 3);
  // No flush: a partial batch waits 5 s, so only the unload path can send these before the page is gone.
  const closedAt = Date.now();
  await page.close();
  await waitTracked(collector, 'unload', 3, 4000);
  await settle(collector);
  const [carrier] = posts().filter((r) => r.batch?.events.some((e) => e.type === 'track'));
  expect(new URL(site.url).origin).not.toBe(new URL(collector.url).origin);
  expect(carrier!.headers.origin).toBe(new URL(site.url).origin);
  expect(carrier!.headers['content-type']).toMatch(/^text\/plain/);
  expect(collector.requests.map((r) => r.method)).not.toContain('OPTIONS');
  const { unique, duplicates } = record(
    collector,
    'unload',
    '6 closed right after tracking',
    3,
    `keepalive POST ${arrived(carrier!) - closedAt} ms after close; OPTIONS seen: 0`,
  );
  expect(unique).toBe(3);
  expect(duplicates).toBe(0);

  // The closed page never saw its 2xx, so its events are still stored: the next page on the site sends
  // them again, once (at least once; collectors dedupe on event id).
  const next = await open();
  await command(next, 'flush');
  await until(() => tally(collector.events().filter((e) => e.type === 'page_view')).unique === 2, "the next page's page view");
  await settle(collector);
  const again = record(
    collector,
    'unload',
    '6 ... then the next page',
    3,
    `duplicate batches: ${duplicateBatches(collector)} (the keepalive batch, resent by the next page)`,
  );
  expect(again.unique).toBe(3);
  expect([...again.ids.values()].every((n) => n <= 2)).toBe(true);
  expect(duplicateBatches(collector)).toBeLessThanOrEqual(1);
  expect(collector.requests.map((r) => r.method)).not.toContain('OPTIONS');
});

it('7. hiding and showing the page 20 times sends nothing twice', async () => {
  const { collector, context, open, posts } = await setup((endpoint) => ({ '/': html(endpoint, '<p>Comparison</p>') }));
  // Headless Chromium never hides a page: bringToFront, a second tab in the same window, minimizing the
  // window (Browser.setWindowBounds) and Emulation.setFocusEmulationEnabled all leave visibilityState
  // "visible" (tried on Chromium 156). So the page reads a switchable visibilityState and gets the
  // visibilitychange event Chromium would fire on a tab switch; everything after it — the SDK's handlers,
  // keepalive fetches, timers — is the real thing.
  await context.addInitScript(SWITCHABLE_VISIBILITY);
  const page = await open();
  await page.evaluate(async () => {
    const { inkling, setVisibility } = window as unknown as { inkling: (...a: unknown[]) => void; setVisibility(s: string): void };
    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
    for (let n = 0; n < 20; n++) {
      inkling('track', 'e2e', { s: 'visibility', n });
      setVisibility('hidden');
      // Gaps from 0 to 40 ms: some keepalive requests are still in flight when the page shows again.
      await pause((n % 5) * 10);
      setVisibility('visible');
      await pause(((n + 2) % 5) * 10);
    }
  });
  await waitTracked(collector, 'visibility', 20);
  await settle(collector);
  // The engagement held while hidden is sent once, as final, when the page goes.
  await page.close();
  await until(() => collector.events().some((e) => e.type === 'page_engagement'), 'the final engagement');
  await settle(collector);
  const { unique, duplicates } = record(
    collector,
    'visibility',
    '7 hidden/visible x 20',
    20,
    `${posts().length} POSTs for ${collector.events().length} events`,
  );
  expect(unique).toBe(20);
  expect(duplicates).toBe(0);
  expect(tally(collector.events()).duplicates).toBe(0);
  expect(collector.events().filter((e) => e.type === 'page_engagement')).toHaveLength(1);
});

describe('8. IndexedDB broken', () => {
  async function deliverWithout(scenario: string, breakIndexedDb: () => void, diagnostic = true) {
    const s = await setup((endpoint) => ({ '/': html(endpoint, '<p>Private window</p>', { attrs: { debug: '' } }) }));
    await s.context.addInitScript(breakIndexedDb);
    const warnings: string[] = [];
    const page = await s.context.newPage();
    page.on('console', (m: ConsoleMessage) => m.type() === 'warning' && m.text().startsWith('[inkling]') && warnings.push(m.text()));
    await s.open('/', page);
    await track(page, scenario, 5);
    // Not awaiting the flush: with a stalled IndexedDB, a queue that waits on it would never resolve it.
    await page.evaluate(() => void (window as unknown as { inkling: (c: string) => unknown }).inkling('flush'));
    await waitTracked(s.collector, scenario, 5);
    if (diagnostic) await until(() => warnings.length > 0, 'a diagnostic on the console');
    await settle(s.collector);
    return { ...s, page, warnings };
  }

  it('delivers from memory and reports when indexedDB.open never settles', async () => {
    const { collector, page, warnings } = await deliverWithout('idb-hangs', () => {
      // Seen in WebKit (bug 226547): an open request that never fires success nor error.
      IDBFactory.prototype.open = () => ({}) as IDBOpenDBRequest;
    });
    const { unique, duplicates } = record(collector, 'idb-hangs', '8a indexedDB.open hangs', 5, `diagnostic: ${warnings[0]!.slice(0, 60)}`);
    expect(unique).toBe(5);
    expect(duplicates).toBe(0);
    // The production script says the error's code (E28: IndexedDB did not open in time; docs/errors.md).
    expect(warnings.join('\n')).toMatch(/Inkling E28: see https:\/\/inkling\.dev\/docs\/errors\.md#e28/);
    expect((await getStats(page)).queued).toBe(0);
  });

  it('delivers from memory and reports when IndexedDB is denied', async () => {
    const { collector, page, warnings } = await deliverWithout('idb-denied', () => {
      // What Chromium throws in a sandboxed iframe without allow-same-origin.
      const denied = "Failed to read the 'indexedDB' property from 'Window': access to the Indexed Database API is denied in this context.";
      Object.defineProperty(window, 'indexedDB', {
        configurable: true,
        get: () => {
          throw new DOMException(denied, 'SecurityError');
        },
      });
    });
    const { unique, duplicates } = record(collector, 'idb-denied', '8b IndexedDB denied', 5, `diagnostic: ${warnings[0]!.slice(0, 60)}`);
    expect(unique).toBe(5);
    expect(duplicates).toBe(0);
    expect(warnings.join('\n')).toMatch(/SecurityError.*Indexed Database API is denied/);
    expect((await getStats(page)).queued).toBe(0);
  });

  it('delivers from memory when IndexedDB opens but its reads never answer', async () => {
    const { collector, page } = await deliverWithout(
      'idb-stalls',
      () => {
        // The database opens, then a read waits forever (as behind another tab's transaction that never ends).
        IDBObjectStore.prototype.getAll = () => ({}) as IDBRequest;
      },
      false,
    );
    const { unique, duplicates } = record(collector, 'idb-stalls', '8c IndexedDB reads never answer', 5);
    expect(unique).toBe(5);
    expect(duplicates).toBe(0);
    expect((await getStats(page)).queued).toBe(0);
  });
});

it('9. over its bound while offline, the queue drops the oldest and counts them', async () => {
  const { collector, context, open } = await setup((endpoint) => ({ '/': modulePage(endpoint, '{ queue: { maxEvents: 20 } }') }), {
    modules: true,
  });
  const page = await open();
  const tracker = <T>(method: string, ...args: unknown[]) =>
    page.evaluate(([m, a]) => (window as unknown as { tracker: Record<string, (...x: unknown[]) => unknown> }).tracker[m]!(...a) as T, [
      method,
      args,
    ] as const);
  await page.waitForFunction(() => 'tracker' in window);
  // Page view and visit start sent first, so the queue holds only what this test tracks.
  await tracker('flush');
  await until(() => collector.events().length >= 2, 'the page view');
  await setOnline(context, page, false);
  await page.evaluate(() => {
    const { tracker } = window as unknown as { tracker: { track(name: string, props: object): void } };
    for (let n = 0; n < 30; n++) tracker.track('e2e', { s: 'bound', n });
  });
  const offline = await tracker<Stats>('getStats');
  expect(offline.queued).toBe(20);
  expect(offline.dropped).toEqual({ overflow: 10 });
  await setOnline(context, page, true);
  await waitTracked(collector, 'bound', 20);
  await settle(collector);
  const { unique, duplicates } = record(collector, 'bound', '9 bound 20, 30 tracked offline', 30, 'dropped.overflow 10 (the oldest)');
  expect(numbers(tracked(collector, 'bound'))).toEqual(range(10, 30));
  expect(unique).toBe(20);
  expect(duplicates).toBe(0);
  expect((await tracker<Stats>('getStats')).dropped).toEqual({ overflow: 10 });
});

it('10. pauses after repeated network errors while online, and resumes when the browser is back online', async () => {
  const { collector, context, endpoint, open } = await setup((endpoint) => ({
    '/': html(endpoint, '<p>Blocked</p>', { attrs: { debug: '' } }),
  }));
  // An ad blocker: every request to the collector fails at once, while the browser says it is online.
  await context.route(`${endpoint}*`, (route) => route.abort('blockedbyclient'));
  // Attempts are counted in the page: with fake time, a request can also end by the SDK's own 30 s
  // timeout (AbortSignal.timeout runs on the fake clock) before the route sees it; both are network
  // errors. Fetches still unsettled tell when a step of fake time has played out.
  await context.addInitScript(() => {
    let started = 0;
    let pending = 0;
    const original = window.fetch;
    window.fetch = (...args) => (started++, pending++, original(...args).finally(() => pending--));
    (window as unknown as { fetches(): number[] }).fetches = () => [started, pending];
  });
  const warnings: string[] = [];
  await context.clock.install();
  const page = await context.newPage();
  page.on('console', (m: ConsoleMessage) => m.type() === 'warning' && warnings.push(m.text()));
  await open('/', page);
  await context.clock.pauseAt(Date.now() + 1000);
  const fetches = () => page.evaluate(() => (window as unknown as { fetches(): number[] }).fetches());
  const settled = () => until(async () => (await fetches())[1] === 0, 'fetches settled');
  await track(page, 'blocked', 10);
  await command(page, 'flush');
  await settled();
  // Twenty minutes of fake time, a minute at a time, with a new event and a flush every minute: a queue that
  // kept retrying would try several more times (its backoff is capped at 5 minutes).
  for (let minute = 0; minute < 20; minute++) {
    await context.clock.runFor(60_000);
    await track(page, 'blocked', 1, 10 + minute);
    await command(page, 'flush');
    await settled();
  }
  const [attempts] = await fetches();
  expect(attempts).toBe(3);
  // E27: failed n times in a row, paused until the browser is back online (docs/errors.md).
  expect(warnings.join('\n')).toMatch(/Inkling E27: /);
  expect(collector.requests).toHaveLength(0);
  // Back online (the blocker gone, the browser reporting `online`): everything is delivered, once.
  await context.unroute(`${endpoint}*`);
  await setOnline(context, page, false);
  await setOnline(context, page, true);
  await waitTracked(collector, 'blocked', 30);
  await settle(collector);
  const { unique, duplicates } = record(
    collector,
    'blocked',
    '10 network errors while online',
    30,
    `${attempts} attempts in 20 min of fake time, then resumed on online`,
  );
  expect(numbers(tracked(collector, 'blocked'))).toEqual(range(0, 30));
  expect(unique).toBe(30);
  expect(duplicates).toBe(0);
});

it('11. a page left by a link to this origin hands its events to the next page: no keepalive request, nothing twice', async () => {
  const { collector, open, posts } = await setup((endpoint) => ({
    '/': html(endpoint, '<p>Guide</p><a id="next" href="/pricing">Pricing</a>'),
    '/pricing': html(endpoint, '<p>Pricing</p><a id="away" href="about:blank">Away</a>'),
  }));
  const page = await open();
  await command(page, 'flush');
  await until(() => collector.events().some((e) => e.type === 'page_view'), 'the first page view');
  await settle(collector);
  const before = posts().length;
  // Tracked, then left at once: a partial batch waits 5 s, so these are still queued when the link is followed.
  await track(page, 'handover', 3);
  await Promise.all([page.waitForURL('**/pricing'), page.click('#next')]);
  await settle(collector);
  // Nothing left with the first page: its events wait in IndexedDB for the next page's first batch.
  expect(posts()).toHaveLength(before);
  await command(page, 'flush');
  await waitTracked(collector, 'handover', 3);
  await settle(collector);
  const carrier = posts()[before]!;
  const carried = carrier.batch!.events.map((e) => e.type).sort();
  expect(carried).toEqual(['page_engagement', 'page_view', 'track', 'track', 'track']);
  const { unique, duplicates } = record(
    collector,
    'handover',
    '11 left by a link, sent by the next page',
    3,
    `${posts().length} POSTs for 2 pages`,
  );
  expect(unique).toBe(3);
  expect(duplicates).toBe(0);
  // Leaving for another origin (closing the tab alike) still sends a keepalive request, at once.
  await Promise.all([page.waitForURL('about:blank'), page.click('#away')]);
  await until(() => collector.events().filter((e) => e.type === 'page_engagement').length === 2, 'the second page engagement');
  await settle(collector);
  expect(tally(collector.events()).duplicates).toBe(0);
});
