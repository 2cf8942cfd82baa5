// Load test of @inkling/receiver: `inkling serve` in its own process on 127.0.0.1 with a temporary SQLite file,
// fed by concurrent clients for a fixed time. Reports batches/s, events/s and latency percentiles as a markdown
// table, then checks nothing was lost: every unique event sent is stored exactly once, and every lead is scored.
//
//   npm run build && node scripts/load-receiver.mjs [--seconds 20] [--clients 16] [--events 20] [--retries 0.05]
//
// --retries is the share of batches sent a second time, as a client whose answer was lost would: they must be
// answered 2xx and stored once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { LOAD_OPTIONS, pageViewAt, postBatch, startServe, throughputRows } from './lib/load.mjs';

const { values } = parseArgs({ options: { ...LOAD_OPTIONS, retries: { type: 'string', default: '0.05' } } });
const SECONDS = Number(values.seconds);
const CLIENTS = Number(values.clients);
const EVENTS_PER_BATCH = Number(values.events);
const RETRY_SHARE = Number(values.retries);

const dir = mkdtempSync(join(tmpdir(), 'inkling-load-'));
const db = join(dir, 'load.db');

function makeBatch(client, n) {
  const now = Date.now();
  const events = Array.from({ length: EVENTS_PER_BATCH }, (_, i) => pageViewAt(client, n, i, EVENTS_PER_BATCH, now));
  return JSON.stringify({ v: 1, site: 'load.example', sentAt: new Date(now).toISOString(), events });
}

async function client(url, id, until, stats) {
  for (let n = 0; performance.now() < until; n++) {
    const body = makeBatch(id, n);
    const sends = Math.random() < RETRY_SHARE ? 2 : 1;
    for (let s = 0; s < sends; s++) {
      if ((await postBatch(url, body, stats)) === 202 && s === 0) stats.uniqueEvents += EVENTS_PER_BATCH;
    }
  }
}

const { child, url } = await startServe(['--db', db, '--rate-limit', 'off'], { INKLING_API_KEY: 'load-test-key-0123456789' });
const stats = { batches: 0, failed: 0, accepted: 0, duplicates: 0, uniqueEvents: 0, latencies: [] };
const started = performance.now();
await Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(url, i, started + SECONDS * 1000, stats)));
const elapsedS = (performance.now() - started) / 1000;

// Scoring runs off the request path: wait for it to catch up, then stop the receiver and count what it stored.
const reader = new Database(db, { readonly: true });
const scoringStart = performance.now();
while (reader.prepare('SELECT count(*) AS n FROM leads WHERE dirty = 1').get().n > 0 && performance.now() - scoringStart < 120_000) {
  await new Promise((resolve) => setTimeout(resolve, 100));
}
const scoringLagS = (performance.now() - scoringStart) / 1000;
const stored = reader.prepare('SELECT count(*) AS n FROM events').get().n;
const distinct = reader.prepare('SELECT count(DISTINCT id) AS n FROM events').get().n;
const leads = reader.prepare('SELECT count(*) AS n, sum(dirty) AS dirty FROM leads').get();
reader.close();
child.kill('SIGTERM');
await new Promise((resolve) => child.once('exit', resolve));
rmSync(dir, { recursive: true, force: true });

const rows = [
  [
    'Duration',
    `${elapsedS.toFixed(1)} s, ${CLIENTS} concurrent clients, ${EVENTS_PER_BATCH} events per batch, ${Math.round(RETRY_SHARE * 100)}% of batches re-sent`,
  ],
  ...throughputRows(stats, elapsedS),
  ['Unique events sent', String(stats.uniqueEvents)],
  ['Events stored', `${stored} (${distinct} distinct ids)`],
  ['Re-sent events answered as duplicates', String(stats.duplicates)],
  ['Leads', `${leads.n}, ${leads.dirty ?? 0} left unscored ${scoringLagS.toFixed(1)} s after the load stopped`],
];
console.log('| Measure | Result |\n| --- | --- |');
for (const [name, value] of rows) console.log(`| ${name} | ${value} |`);

const lost = stats.uniqueEvents - stored;
if (stats.failed || lost !== 0 || distinct !== stored || (leads.dirty ?? 0) > 0) {
  console.error(
    `\nFAILED: ${stats.failed} failed batches, ${lost} events lost, ${stored - distinct} stored twice, ${leads.dirty ?? 0} leads unscored`,
  );
  process.exitCode = 1;
} else {
  console.log(`\nNothing lost: ${stored} events stored once each, every lead scored.`);
}
