// Requests and bytes each SDK sends over the same 5-minute, 3-page reading session, with page time
// compressed by Playwright's clock.
import { newContext, watchErrors } from './chromium.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The session: pages in order, seconds of reading on each (5 minutes in all), clicking "Continue reading". */
export const READING = [
  ['article-1', 120],
  ['pricing', 60],
  ['article-2', 120],
];

/** Page time between two wheel ticks while reading: well inside every SDK's activity window (Inkling's 5 s, Snowplow's 10 s heartbeat). */
export const READ_TICK_MS = 2000;

/**
 * Page time is paused and moved only by the benchmark: every READ_TICK_MS of reading is one wheel tick
 * (the reader scrolls through the page, reaching its end at ~80% of the time) followed by
 * `clock.runFor(READ_TICK_MS)`, which fires every timer due in that time (setTimeout, setInterval, requestAnimationFrame,
 * requestIdleCallback; Date and performance.now() move with it). The clock carries across navigations.
 * Network requests, IndexedDB and the browser's own scrolling run in real time. The session ends by
 * navigating to about:blank, as a visitor closing the tab; requests sent then (keepalive, beacons) count.
 * `events` and `duplicates` count the distinct event ids the collector read, and the deliveries of an id
 * it had already received (only bodies that list events with ids are read: Inkling's).
 */
export async function runNetwork(env, servers, sdkId, reading = READING) {
  const context = await newContext(env);
  try {
    const page = await context.newPage();
    const errors = watchErrors(page);
    const start = Date.now();
    await page.clock.install({ time: start });
    await page.clock.pauseAt(start + 1000);
    servers.reset();
    await page.goto(`${servers.siteUrl}/${sdkId}/${reading[0][0]}`, { waitUntil: 'load' });
    for (const [i, [name, seconds]] of reading.entries()) {
      if (i > 0) await Promise.all([page.waitForURL(`**/${sdkId}/${name}`, { waitUntil: 'load' }), page.click('#next')]);
      // Real time for config fetches and lazy scripts of the new page.
      await sleep(150);
      const scrollable = await page.evaluate(() => document.documentElement.scrollHeight - innerHeight);
      const ticks = (seconds * 1000) / READ_TICK_MS;
      const px = Math.max(40, Math.ceil(scrollable / (ticks * 0.8)));
      await page.mouse.move(640, 400);
      for (let t = 0; t < ticks; t++) {
        await page.mouse.wheel(0, px);
        await page.clock.runFor(READ_TICK_MS);
      }
    }
    await page.goto('about:blank');
    await servers.settle(500, 5000);
    const sent = servers.log.filter((e) => e.server === 'collector' && (e.kind === 'send' || e.kind === 'preflight'));
    const downloads = servers.log.filter((e) => e.kind === 'download');
    // Events the collector received more than once (the same id again: an at-least-once re-send).
    const ids = sent.flatMap((e) => e.ids ?? []);
    const events = new Set(ids).size;
    return {
      requests: sent.length,
      preflights: sent.filter((e) => e.kind === 'preflight').length,
      bodyBytes: sent.reduce((n, e) => n + e.up, 0),
      wireBytes: sent.reduce((n, e) => n + e.wire, 0),
      downloads: downloads.length,
      downloadBytes: downloads.reduce((n, e) => n + e.down, 0),
      endpoints: [...new Set(sent.filter((e) => e.kind === 'send').map((e) => `${e.method} ${e.path}`))],
      events,
      duplicates: ids.length - events,
      errors,
    };
  } finally {
    await context.close();
  }
}
