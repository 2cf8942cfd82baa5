// Helpers for the delivery tests: a page that loads the npm build as ES modules (for the options a script
// tag cannot set), arrival times of the collector's requests, polling, and tallies of what arrived.
import { readFileSync } from 'node:fs';
import type { AnyEvent } from '@inkling/core';
import type { BrowserContext, Page } from 'playwright-core';
import { startSite } from './collector.js';
import type { Collector, Recorded, Site } from './collector.js';

// URL prefix -> built files. The browser package imports `@inkling/core` and `idb-keyval` by bare name:
// the page's import map points them here.
const MODULE_ROOTS: Record<string, string> = {
  '/m/browser/': 'packages/browser/dist/',
  '/m/core/': 'packages/core/dist/',
  '/m/idb-keyval/': 'node_modules/idb-keyval/dist/',
};

/** Serves `pages` (path -> HTML) and the built ES modules under /m/, on 127.0.0.1. */
export const startModuleSite = (pages: Record<string, string>): Promise<Site> => startSite(pages, MODULE_ROOTS);

/**
 * A page that starts the npm build's `createTracker` with `options` (a JS object literal, merged over the
 * endpoint and site) as `window.tracker`; errors passed to `onError` are collected in `window.errors`.
 */
export function modulePage(endpoint: string, options = '{}'): string {
  const imports = { '@inkling/core': '/m/core/index.js', 'idb-keyval': '/m/idb-keyval/index.js' };
  return `<!doctype html><html><head><meta charset="utf-8"><title>Module page</title>
<script type="importmap">${JSON.stringify({ imports })}</script>
<script type="module">
import { createTracker } from '/m/browser/index.js';
window.errors = [];
window.tracker = createTracker({ endpoint: ${JSON.stringify(endpoint)}, site: 'e2e', onError: (e) => errors.push(e.message), ...${options} });
</script></head><body><p>A page built with the npm package.</p></body></html>`;
}

/**
 * Serves `pages` and the built script from the test instead of the network, as a service worker or the
 * HTTP cache would while the browser is offline, until `context.unroute(url + '/**')`.
 */
export async function serveOffline(context: BrowserContext, url: string, pages: Record<string, string>): Promise<void> {
  const script = readFileSync('packages/browser/dist/inkling.min.js', 'utf8');
  await context.route(`${url}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/inkling.min.js') return route.fulfill({ contentType: 'text/javascript', body: script });
    const html = pages[path];
    return html === undefined ? route.fulfill({ status: 404 }) : route.fulfill({ contentType: 'text/html; charset=utf-8', body: html });
  });
}

/** Stamps each request the collector records with its arrival time (the collector keeps none). */
export function timeRequests(collector: Collector): (request: Recorded) => number {
  const arrived = new WeakMap<Recorded, number>();
  const push = collector.requests.push.bind(collector.requests);
  collector.requests.push = (...items: Recorded[]) => {
    for (const item of items) arrived.set(item, Date.now());
    return push(...items);
  };
  return (request) => arrived.get(request) ?? Number.NaN;
}

/** Polls `check` every 25 ms until it returns true; throws `message` after `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, message: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms: ${message}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Resolves once the collector has seen no new request for `quietMs` (a late duplicate would show up here). */
export const settle = (collector: Collector, quietMs = 750): Promise<void> => collector.settle(quietMs);

/** The `track` events of one scenario that the collector accepted (2xx), duplicates included. */
export const tracked = (collector: Collector, scenario: string): AnyEvent[] =>
  collector.events().filter((e) => e.type === 'track' && (e.props as { s?: unknown }).s === scenario);

/** Distinct ids, and copies beyond the first. */
export function tally(events: AnyEvent[]): { unique: number; duplicates: number; ids: Map<string, number> } {
  const ids = new Map<string, number>();
  for (const e of events) ids.set(e.id, (ids.get(e.id) ?? 0) + 1);
  return { unique: ids.size, duplicates: events.length - ids.size, ids };
}

/** The `n` props of events, sorted: which of the tracked events arrived. */
export const numbers = (events: AnyEvent[]): number[] =>
  [...new Set(events.map((e) => (e.props as unknown as { n: number }).n))].sort((a, b) => a - b);

export const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

/** Tracks `count` events named `e2e` with `{ s: scenario, n }` through the script tag's command API. */
export const track = (page: Page, scenario: string, count: number, from = 0): Promise<void> =>
  page.evaluate(
    ([s, count, from]) => {
      const inkling = (window as unknown as { inkling: (...args: unknown[]) => unknown }).inkling;
      for (let n = from; n < from + count; n++) inkling('track', 'e2e', { s, n });
    },
    [scenario, count, from] as const,
  );

/** Calls the script tag's command API. */
export const command = <T = unknown>(page: Page, ...args: unknown[]): Promise<T> =>
  page.evaluate((args) => (window as unknown as { inkling: (...a: unknown[]) => unknown }).inkling(...args) as T, args);

/**
 * How many `track` events of `scenario` this origin's queue holds in IndexedDB. Opens the database only
 * once the SDK has created it: opening it first would create it without the SDK's object store.
 */
export const storedCount = (page: Page, scenario: string, db = 'inkling:e2e:q:http'): Promise<number> =>
  page.evaluate(
    async ([name, s]) => {
      if (!(await indexedDB.databases()).some((d) => d.name === name)) return 0;
      const conn = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open(name);
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      try {
        if (!conn.objectStoreNames.contains('kv')) return 0;
        const all = await new Promise<Array<{ e: { type: string; props: { s?: string } } }>>((resolve, reject) => {
          const r = conn.transaction('kv').objectStore('kv').getAll();
          r.onsuccess = () => resolve(r.result);
          r.onerror = () => reject(r.error);
        });
        return all.filter((r) => r.e.type === 'track' && r.e.props.s === s).length;
      } finally {
        conn.close();
      }
    },
    [db, scenario] as const,
  );

/** Tabs of this origin holding an Inkling lifetime lock (Web Locks), read from any page of the origin. */
export const liveTabs = (page: Page): Promise<number> =>
  page.evaluate(async () => ((await navigator.locks.query()).held ?? []).filter((l) => l.name?.startsWith('inkling:tab:')).length);

/** One line of the summary printed after the run. */
export interface Row {
  scenario: string;
  tracked: number;
  unique: number;
  /** Copies of tracked events beyond the first. */
  duplicates: number;
  /** Copies of any event (page views, engagement...) beyond the first. */
  duplicatesAll: number;
  /** POST requests the collector saw. */
  posts: number;
  note: string;
}

export function formatTable(rows: Row[]): string {
  const head = ['scenario', 'tracked', 'unique received', 'duplicates', 'dup. (all events)', 'POSTs', 'note'];
  const lines = rows.map((r) => [r.scenario, r.tracked, r.unique, r.duplicates, r.duplicatesAll, r.posts, r.note].map(String));
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [fmt(head), fmt(widths.map((w) => '-'.repeat(w))), ...lines.map(fmt)].join('\n');
}
