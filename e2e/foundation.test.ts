// The first end-to-end path: the demo site's script tag -> the receiver -> SQLite, in real Chromium,
// under the site's strict Content-Security-Policy.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDemo } from '../scripts/demo-server.mjs';
import { launchChromium } from './chromium.js';

let browser: Browser;
let demo: Awaited<ReturnType<typeof startDemo>>;

beforeAll(async () => {
  [browser, demo] = await Promise.all([launchChromium(), startDemo({ sitePort: 0, receiverPort: 0, hooksPort: 0, database: ':memory:' })]);
});
afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

type Stored = { type: string; ts: string; page: { path: string; kind: string }; props: Record<string, unknown> };

/** What the receiver stored, through its events page (JSON, newest first). */
async function storedEvents(): Promise<Stored[]> {
  const res = await fetch(`${demo.receiverUrl}/events`, {
    headers: { authorization: `Bearer ${demo.apiKey}`, accept: 'application/json' },
  });
  return ((await res.json()) as { events: Array<{ event: Stored }> }).events.map((e) => e.event);
}

it('stores a page_view of kind pricing when the pricing page is visited through the built script', async () => {
  const page = await browser.newPage();
  const violations: string[] = [];
  page.on('console', (m) => m.type() === 'error' && violations.push(m.text()));
  await page.goto(`${demo.siteUrl}/pricing/`);
  await page.evaluate(() => document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP: ${e.violatedDirective}`)));
  // Leaving the page sends what is queued, with keepalive.
  await page.goto(`${demo.siteUrl}/`);
  await page.close();
  let events: Awaited<ReturnType<typeof storedEvents>> = [];
  for (let i = 0; i < 100 && !events.some((e) => e.type === 'page_view' && e.page.kind === 'pricing'); i++) {
    await new Promise((r) => setTimeout(r, 100));
    events = await storedEvents();
  }
  expect(events.find((e) => e.type === 'page_view' && e.page.path === '/pricing/')).toMatchObject({
    page: { kind: 'pricing' },
    props: { nav: 'load' },
  });
  expect(violations).toEqual([]);
});

it('replays commands queued before the script loaded, with their original time', async () => {
  const page = await browser.newPage();
  await page.route('**/inkling.min.js', async (route) => {
    // Hold the script back so the page's own code runs first.
    await new Promise((r) => setTimeout(r, 500));
    await route.continue();
  });
  await page.goto(`${demo.siteUrl}/contact/`);
  const queuedAt = await page.evaluate(() => {
    const t = Date.now();
    (window as unknown as { inkling: (...a: unknown[]) => void }).inkling('track', 'video_play', { stub: true });
    (window as unknown as { inkling: { push(a: unknown[]): void } }).inkling.push(['track', 'video_pause', { array: true }]);
    return t;
  });
  await page.waitForFunction(
    () =>
      typeof (window as unknown as { inkling: { q?: unknown } }).inkling === 'function' &&
      !(window as unknown as { inkling: { q?: unknown } }).inkling.q,
  );
  await page.evaluate(() => (window as unknown as { inkling: (...a: unknown[]) => Promise<void> }).inkling('flush'));
  let tracks: Awaited<ReturnType<typeof storedEvents>> = [];
  for (let i = 0; i < 100 && tracks.length < 2; i++) {
    await new Promise((r) => setTimeout(r, 100));
    tracks = (await storedEvents()).filter((e) => e.type === 'track' && /video_/.test(String(e.props['name'])));
  }
  const byName = Object.fromEntries(tracks.map((e) => [e.props['name'], e]));
  expect(Object.keys(byName).sort()).toEqual(['video_pause', 'video_play']);
  expect(Math.abs(Date.parse(byName['video_play']!.ts) - queuedAt)).toBeLessThan(50);
  await page.close();
});
