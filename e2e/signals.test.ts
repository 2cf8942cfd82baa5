// Engagement signals in real Chromium, through the built script: reading, background tabs, visits, SPAs
// and the back/forward cache. Time is compressed with Playwright's clock (paused, then moved on by hand),
// so a five-minute read takes a second.
import type { AnyEvent, Batch } from '@inkling/core';
import { getUuidTime, validateBatch } from '@inkling/core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SWITCHABLE_VISIBILITY, launchChromium } from './chromium.js';
import { page as html, prose, startCollector, startSite } from './collector.js';
import type { Collector, Site } from './collector.js';

const S = 1000;
const MIN = 60 * S;
const T0 = new Date('2026-11-02T09:00:00Z');

let browser: Browser;
let collector: Collector;
let site: Site;
let context: BrowserContext;

beforeAll(async () => {
  collector = await startCollector();
  const endpoint = `${collector.url}/collect`;
  // A reading column like a blog's: about 5,000 px for 1,200 words.
  const style = '<style>article { max-width: 36em; font: 18px/1.6 serif }</style>';
  const article = (words: number) =>
    `${style}<main><h1>Close the books faster</h1><article>${prose(words)}</article><footer style="height:600px">Related posts</footer></main>`;
  site = await startSite({
    '/blog/long-read': html(endpoint, article(1200), { title: 'A long read' }),
    '/blog/other': html(endpoint, article(300)),
    '/pricing': html(endpoint, '<h1>Pricing</h1>'),
    '/vitals': html(
      endpoint,
      `<h1 style="font-size:64px">Largest text on the page</h1><div id="slot"></div><button id="slow" onclick="const t = performance.now(); while (performance.now() - t < 120);">Slow</button><p>${'Text. '.repeat(200)}</p>
       <script>setTimeout(() => (document.getElementById('slot').style.height = '300px'), 200)</script>`,
      { head: '<script async src="/inkling.vitals.min.js"></script>' },
    ),
    '/app': html(
      endpoint,
      `<nav><button id="docs" onclick="history.pushState({}, '', '/app/docs')">Docs</button>
       <button id="plans" onclick="history.pushState({}, '', '/app/plans')">Plans</button></nav><a id="away" href="/pricing">Pricing</a>`,
      { attrs: { 'kind-docs': '/app/docs', pricing: '/app/plans' } },
    ),
  });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await Promise.all([collector?.close(), site?.close()]);
});
beforeEach(async () => {
  await collector.reset();
  context = await browser.newContext();
  await context.addInitScript(SWITCHABLE_VISIBILITY);
  await context.clock.install({ time: T0 });
  await context.clock.pauseAt(T0);
});
afterEach(() => context.close());

// What a collector keeps: one event per id. A page's last batch is sent with keepalive as the page goes,
// and sent again by the next page when the answer never reached the page that went (by design: events are
// deleted only on a 2xx the page saw); collectors dedupe on event id.
const of = (type: string) => [
  ...new Map(
    collector
      .events()
      .filter((e) => e.type === type)
      .map((e) => [e.id, e]),
  ).values(),
];
const props = (e: AnyEvent | undefined) => e?.props as unknown as Record<string, number>;

/** Scrolls down `px` pixels in steps of `step`, an interaction every `everyMs` of page time. */
async function read(page: Page, px: number, step: number, everyMs: number) {
  await page.mouse.move(600, 300);
  for (let done = 0; done < px; done += step) {
    await page.mouse.wheel(0, step);
    await page.clock.runFor(everyMs);
  }
}

/** Leaves the page (pagehide sends its engagement) and waits for the collector to have it. */
async function leave(page: Page) {
  await page.goto(`${site.url}/pricing`);
  await page.clock.runFor(6 * S);
  await collector.waitForEvents(1);
  const until = Date.now() + 10_000;
  while (!of('page_engagement').length && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
}

describe('qualified article reads', () => {
  it('counts exactly one read for a reader who scrolls through 1,200 words at a human pace', async () => {
    const page = await context.newPage();
    await page.goto(`${site.url}/blog/long-read`);
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    // About 3.5 minutes to the end: 60 px every 4 s (a reader's pace for this text), then 30 s more.
    await read(page, height, 60, 4 * S);
    await read(page, 300, 30, 3 * S);
    await leave(page);
    const reads = of('article_read');
    expect(reads).toHaveLength(1);
    const r = props(reads[0]);
    expect(r['words']).toBe(1200);
    expect(r['expectedMs']).toBe(Math.round((1200 / 238) * 60_000));
    expect(r['attentiveMs']).toBeGreaterThanOrEqual(0.35 * r['expectedMs']!);
    expect(r['readRatio']).toBeGreaterThanOrEqual(0.35);
    expect(r['pageViewId']).toBe(of('page_view').find((e) => e.page.path === '/blog/long-read')?.id);
  });

  it('sends a read decided by the read timer under a fake clock with a valid id', async () => {
    // The 1,200 words need 0.35 x 302,521 ms = 105,882.35 ms of attention: a delay with a fraction, which
    // Playwright's clock (unlike a browser's) keeps, so the timer's Date.now() had one too.
    const page = await context.newPage();
    await page.goto(`${site.url}/blog/long-read`);
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    // To the end in 80 s of steady scrolling: the end is seen, but the read still needs about 26 s.
    await page.mouse.move(600, 300);
    for (let i = 0; i < 20; i++) {
      await page.clock.runFor(4 * S);
      await page.mouse.wheel(0, Math.ceil(height / 20));
    }
    const lastInteraction = await page.evaluate(() => Date.now());
    // No interaction from here on: only the read timer can decide the read.
    await page.clock.runFor(40 * S);
    await leave(page);
    const reads = of('article_read');
    expect(reads).toHaveLength(1);
    const id = reads[0]!.id;
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(getUuidTime(id)).toBeGreaterThan(lastInteraction);
    expect(getUuidTime(id)).toBeLessThan(lastInteraction + 30 * S);
    expect(Number.isInteger(props(reads[0])['attentiveMs'])).toBe(true);
    // The batch that carried it is one a receiver accepts.
    const batch = collector.requests.map((r) => r.batch).find((b): b is Batch => !!b?.events.some((e) => e.id === id));
    const checked = validateBatch(batch);
    expect(checked.ok ? [] : checked.issues).toEqual([]);
  });

  it('counts no read for a skimmer who jumps to the end within 10 s', async () => {
    const page = await context.newPage();
    await page.goto(`${site.url}/blog/long-read`);
    await read(page, 6000, 2000, 3 * S);
    await page.clock.runFor(5 * S);
    await leave(page);
    expect(of('page_view').length).toBeGreaterThanOrEqual(1);
    expect(props(of('page_engagement')[0])['scrollDepth']).toBe(1);
    expect(of('article_read')).toEqual([]);
  });

  it('counts no read for a reader who leaves halfway, however long they read', async () => {
    const page = await context.newPage();
    await page.goto(`${site.url}/blog/long-read`);
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    // Slowly to the middle: more attentive time than a full read needs, but the end never seen.
    await read(page, height / 2 - 720, 20, 4 * S);
    await leave(page);
    const engagement = props(of('page_engagement')[0]);
    expect(engagement['attentiveMs']).toBeGreaterThan(0.35 * (1200 / 238) * MIN);
    expect(engagement['scrollDepth']).toBeLessThan(0.6);
    expect(of('article_read')).toEqual([]);
  });
});

describe('engaged and attentive time', () => {
  it('adds nothing for 10 minutes in a background tab, and sends the engagement once', async () => {
    const page = await context.newPage();
    await page.goto(`${site.url}/pricing`);
    await read(page, 400, 40, 2 * S); // 20 s of interaction
    await page.evaluate(() => (window as unknown as { setVisibility(s: string): void }).setVisibility('hidden'));
    await page.clock.runFor(10 * MIN);
    await page.evaluate(() => (window as unknown as { setVisibility(s: string): void }).setVisibility('visible'));
    await read(page, 100, 20, 2 * S); // 10 s more
    await page.goto(`${site.url}/blog/other`);
    await page.clock.runFor(6 * S);
    await collector.waitForEvents(4);
    const until = Date.now() + 10_000;
    while (!of('page_engagement').length && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    const engagements = of('page_engagement');
    expect(engagements).toHaveLength(1);
    const e = props(engagements[0]);
    // About 20 s + 10 s of interaction and the tails of the windows; none of the 10 hidden minutes.
    expect(e['engagedMs']).toBeGreaterThanOrEqual(29 * S);
    expect(e['engagedMs']).toBeLessThan(40 * S);
    expect(e['attentiveMs']).toBeLessThan(70 * S);
  });
});

describe('visits', () => {
  async function visitAfter(gapMs: number) {
    const page = await context.newPage();
    await page.goto(`${site.url}/pricing`);
    await page.clock.runFor(2 * S);
    await page.goto('about:blank');
    await page.clock.runFor(gapMs);
    await page.goto(`${site.url}/blog/other`);
    await page.clock.runFor(6 * S);
    await page.goto('about:blank');
    await collector.waitForEvents(4);
    return of('visit_start').map((e) => props(e));
  }

  it('starts visit 2 when the visitor comes back after 31 minutes', async () => {
    const starts = await visitAfter(31 * MIN);
    expect(starts.map((s) => [s['visit'], s['daysSinceLast']])).toEqual([
      [1, null],
      [2, 0],
    ]);
    expect(new Set(of('page_view').map((e) => e.visitor)).size).toBe(1);
  });

  it('continues the visit when the visitor comes back after 10 minutes', async () => {
    const starts = await visitAfter(10 * MIN);
    expect(starts.map((s) => s['visit'])).toEqual([1]);
    expect(new Set(of('page_view').map((e) => e.session)).size).toBe(1);
  });
});

describe('single-page apps', () => {
  it('makes two route changes three page views, each with its own engagement', async () => {
    const page = await context.newPage();
    await page.goto(`${site.url}/app`);
    await page.clock.runFor(3 * S);
    await page.click('#docs');
    await page.clock.runFor(4 * S);
    await page.click('#plans');
    await page.clock.runFor(5 * S);
    // The clock moves only once the next page has loaded and its tracker has set its timers.
    await Promise.all([page.waitForURL(`${site.url}/pricing`), page.click('#away')]);
    await page.clock.runFor(6 * S);
    await collector.waitForEvents(8);
    const views = of('page_view').filter((e) => e.page.path.startsWith('/app'));
    expect(views.map((e) => [e.page.path, e.page.kind, (e.props as { nav: string }).nav])).toEqual([
      ['/app', 'other', 'load'],
      ['/app/docs', 'docs', 'spa'],
      ['/app/plans', 'pricing', 'spa'],
    ]);
    const engagements = of('page_engagement');
    expect(engagements.map((e) => props(e)['pageViewId'])).toEqual(views.map((v) => v.id));
    expect(engagements.map((e) => e.page.path)).toEqual(['/app', '/app/docs', '/app/plans']);
  });
});

describe('web vitals', () => {
  it('attaches LCP, INP and CLS to the page engagement when the vitals script is on the page', async () => {
    // Real time here: web-vitals reads the browser's own performance timeline.
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(`${site.url}/vitals`);
    await page.waitForFunction(() => performance.getEntriesByName(`${location.origin}/inkling.vitals.min.js`).length > 0);
    await page.waitForTimeout(300);
    await page.waitForTimeout(500); // the late content shifts the page (not after an input: that would not count)
    await page.click('#slow');
    // Leave before web-vitals processes the interaction (when the page is idle): it reports it as the page turns
    // hidden, after the pagehide Chrome fires first, and the engagement must still carry it.
    await page.evaluate(() => {
      // Never idle from here on: tasks of 40 ms every 50 ms, as a busy app's.
      setInterval(() => {
        const t = performance.now();
        while (performance.now() - t < 40);
      }, 50);
      return new Promise((r) => setTimeout(r, 300));
    });
    await page.goto(`${site.url}/pricing`);
    const until = Date.now() + 10_000;
    while (!of('page_engagement').some((e) => e.page.path === '/vitals') && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    const vitals = (of('page_engagement').find((e) => e.page.path === '/vitals')?.props as { vitals?: Record<string, number> }).vitals;
    expect(vitals?.['lcp']).toBeGreaterThan(0);
    // The click handler blocks for 120 ms: an interaction slow enough to report.
    expect(vitals?.['inp']).toBeGreaterThanOrEqual(120);
    expect(vitals?.['cls']).toBeGreaterThan(0);
    await ctx.close();
  });
});

describe('back/forward cache', () => {
  it('restores the page from the bfcache with Inkling on it, as a new page view', async () => {
    // Playwright turns the bfcache off by default; this browser keeps it on.
    const bfBrowser = await launchChromium({ ignoreDefaultArgs: ['--disable-back-forward-cache'] });
    try {
      const ctx = await bfBrowser.newContext();
      const page = await ctx.newPage();
      const cdp = await ctx.newCDPSession(page);
      await cdp.send('Page.enable');
      const notRestored: unknown[] = [];
      cdp.on('Page.backForwardCacheNotUsed', (e) => notRestored.push(e.notRestoredExplanations));
      await page.goto(`${site.url}/pricing`);
      await page.evaluate(() => addEventListener('pageshow', (e) => ((window as unknown as { restored: boolean }).restored = e.persisted)));
      // A reader's pace: half a second on each page (a page left within milliseconds of loading may still
      // have its first IndexedDB transaction open, which costs it its place in the cache).
      await page.waitForTimeout(500);
      await page.goto(`${site.url}/blog/other`);
      await page.waitForTimeout(500);
      await page.goBack({ waitUntil: 'commit' });
      for (let i = 0; i < 50 && !(await page.evaluate(() => (window as unknown as { restored?: boolean }).restored)); i++)
        await page.waitForTimeout(100);
      expect(notRestored).toEqual([]);
      expect(await page.evaluate(() => (window as unknown as { restored?: boolean }).restored)).toBe(true);
      await page.evaluate(() => (window as unknown as { inkling(c: string): Promise<void> }).inkling('flush'));
      await collector.waitForEvents(5);
      const views = of('page_view').filter((e) => e.page.path === '/pricing');
      expect(views.map((e) => (e.props as { nav: string }).nav)).toEqual(['load', 'bfcache']);
      expect(views[0]!.id).not.toBe(views[1]!.id);
      await ctx.close();
    } finally {
      await bfBrowser.close();
    }
  });
});
