// History-length benchmark of @inkling/receiver: does one more batch cost the same whatever a lead's history?
// For each history size, a temporary SQLite file is given one visitor with that many stored events, `inkling serve`
// starts on it (127.0.0.1 only) and scores the lead once, then the visitor keeps sending small batches while /health
// is probed. Prints p50 / p99 latency of /collect and of /health per history size as a markdown table.
//
//   npm run build && node scripts/load-history.mjs [--sizes 100,10000,100000] [--seconds 10]
//
// A batch is answered before it is scored, so a scoring that blocks the event loop shows as /health latency (and as
// /collect latency of the batches arriving meanwhile). Each size runs for --seconds after the lead is first scored
// and a second of warm-up traffic.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { uuidv7 } from '@inkling/core';
import Database from 'better-sqlite3';
import { percentile, postBatch, startServe } from './lib/load.mjs';

// The receiver of this checkout, not the one node_modules resolves to: the benchmark is run on several commits.
const { openSqliteStore } = await import(new URL('../packages/receiver/dist/index.js', import.meta.url).href);

const { values } = parseArgs({
  options: { sizes: { type: 'string', default: '100,10000,100000' }, seconds: { type: 'string', default: '10' } },
});
const SIZES = values.sizes.split(',').map(Number);
const SECONDS = Number(values.seconds);
const SITE = 'history.example';
const VISITOR = 'v_history';
/** Events per batch while measuring: a browser's usual flush. */
const EVENTS_PER_BATCH = 5;
/** Pause between the visitor's batches, and between /health probes. */
const BATCH_GAP_MS = 50;
const PROBE_GAP_MS = 10;
/** Stored history per insert, well under the collector's own limit per batch. */
const HISTORY_CHUNK = 500;
/** Traffic sent and not measured first, so the receiver's first requests (compiling its code paths) are left out. */
const WARM_UP_MS = 1000;
/** The first scoring of the whole history may take this long before the size is given up. */
const FIRST_SCORE_TIMEOUT_MS = 120_000;

const KINDS = [
  ['/blog/close-faster', 'article'],
  ['/pricing', 'pricing'],
  ['/docs/setup', 'docs'],
  ['/customers/acme', 'case-study'],
  ['/', 'other'],
];

function pageView(i, ts) {
  const [path, kind] = KINDS[i % KINDS.length];
  return {
    id: uuidv7(),
    type: 'page_view',
    ts: new Date(ts).toISOString(),
    visitor: VISITOR,
    session: `s_history_${Math.floor(i / 20)}`,
    page: { path, kind, title: `Page ${path}` },
    props: { nav: 'spa' },
  };
}

/** Stores `size` events of one visitor spread over the last 90 days, straight into the database. */
async function seedHistory(filename, size) {
  const store = await openSqliteStore({ filename });
  const now = Date.now();
  const spanMs = 90 * 864e5;
  for (let start = 0; start < size; start += HISTORY_CHUNK) {
    const events = [];
    for (let i = start; i < Math.min(size, start + HISTORY_CHUNK); i++) {
      const ts = now - spanMs + Math.floor((i / size) * spanMs);
      events.push({ event: pageView(i, ts), ts, clamped: false });
    }
    await store.insertEvents({ site: SITE, sentAt: new Date(now).toISOString(), receivedAt: now, bot: false, events });
  }
  await store.close();
}

/** Waits until the receiver has scored the seeded lead and nothing is left dirty; how long that took. */
async function waitForScore(filename) {
  const reader = new Database(filename, { readonly: true });
  const started = performance.now();
  try {
    while (performance.now() - started < FIRST_SCORE_TIMEOUT_MS) {
      const row = reader.prepare('SELECT count(*) AS n, sum(dirty) AS dirty, min(scored_at) AS scored FROM leads').get();
      if (row.n > 0 && row.scored !== null && !row.dirty) return performance.now() - started;
      await sleep(20);
    }
    throw new Error(`the lead was not scored within ${FIRST_SCORE_TIMEOUT_MS} ms`);
  } finally {
    reader.close();
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function probeHealth(url, until, latencies) {
  while (performance.now() < until) {
    const start = performance.now();
    await fetch(`${url}/health`).then((r) => r.arrayBuffer());
    latencies.push(performance.now() - start);
    await sleep(PROBE_GAP_MS);
  }
}

async function sendBatches(url, until, stats) {
  for (let n = 0; performance.now() < until; n++) {
    const now = Date.now();
    const events = Array.from({ length: EVENTS_PER_BATCH }, (_, i) =>
      pageView(n * EVENTS_PER_BATCH + i, now - (EVENTS_PER_BATCH - i) * 1000),
    );
    await postBatch(url, JSON.stringify({ v: 1, site: SITE, sentAt: new Date(now).toISOString(), events }), stats);
    await sleep(BATCH_GAP_MS);
  }
}

async function measure(size) {
  const dir = mkdtempSync(join(tmpdir(), 'inkling-history-'));
  const db = join(dir, 'history.db');
  try {
    const seedStart = performance.now();
    await seedHistory(db, size);
    const seedMs = performance.now() - seedStart;
    const { child, url } = await startServe(['--db', db, '--rate-limit', 'off', '--host', '127.0.0.1'], {
      INKLING_API_KEY: 'history-test-key-0123456789',
    });
    try {
      const firstScoreMs = await waitForScore(db);
      const warmUntil = performance.now() + WARM_UP_MS;
      await Promise.all([
        sendBatches(url, warmUntil, { batches: 0, failed: 0, accepted: 0, duplicates: 0, latencies: [] }),
        probeHealth(url, warmUntil, []),
      ]);
      const stats = { batches: 0, failed: 0, accepted: 0, duplicates: 0, latencies: [] };
      const health = [];
      const until = performance.now() + SECONDS * 1000;
      await Promise.all([sendBatches(url, until, stats), probeHealth(url, until, health)]);
      if (stats.failed) throw new Error(`${stats.failed} of ${stats.batches} batches were not answered 202`);
      return { size, seedMs, firstScoreMs, collect: stats.latencies.sort((a, b) => a - b), health: health.sort((a, b) => a - b) };
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ms = (v) => `${v.toFixed(1)} ms`;
const results = [];
for (const size of SIZES) results.push(await measure(size));
console.log(
  `SQLite, one visitor, ${EVENTS_PER_BATCH}-event batches every ${BATCH_GAP_MS} ms and /health every ${PROBE_GAP_MS} ms for ${SECONDS} s per size.\n`,
);
console.log(
  '| History (events) | /collect p50 | /collect p99 | /health p50 | /health p99 | Requests (collect / health) | First scoring of the history |',
);
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of results) {
  const row = [
    r.size.toLocaleString('en'),
    ms(percentile(r.collect, 50)),
    ms(percentile(r.collect, 99)),
    ms(percentile(r.health, 50)),
    ms(percentile(r.health, 99)),
    `${r.collect.length} / ${r.health.length}`,
    ms(r.firstScoreMs),
  ];
  console.log(`| ${row.join(' | ')} |`);
}
