// What the receiver load tests share: starting `inkling serve` as a child process, posting a batch with its
// timing, and percentiles.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { uuidv7 } from '@inkling/core';

/** A browser's user agent: the receiver keeps bots out of scoring, and the load tests score. */
export const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

/** Starts `inkling serve` with `args` and resolves with the process and its URL once it listens. */
export function startServe(args, env = {}) {
  const child = spawn(process.execPath, ['packages/receiver/bin/inkling.js', 'serve', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve({ child, url: match[1] });
    });
    child.once('exit', (code) => reject(new Error(`inkling serve exited with ${code} before listening`)));
  });
}

/**
 * Posts one batch as a browser does and records it in `stats` (batches, failed, accepted, duplicates,
 * latencies). Resolves with the status, 0 when the request failed.
 */
export async function postBatch(url, body, stats) {
  const start = performance.now();
  let status;
  try {
    const response = await fetch(`${url}/collect`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': UA },
      body,
    });
    status = response.status;
    const result = await response.json();
    stats.accepted += result.accepted ?? 0;
    stats.duplicates += result.duplicates ?? 0;
  } catch {
    status = 0;
  }
  stats.latencies.push(performance.now() - start);
  stats.batches++;
  if (status !== 202) stats.failed++;
  return status;
}

/** The options both load tests take, for `parseArgs`. */
export const LOAD_OPTIONS = {
  seconds: { type: 'string', default: '20' },
  clients: { type: 'string', default: '16' },
  events: { type: 'string', default: '20' },
};

/** Each client plays this many visitors in turn, so leads collect events and are re-scored as they grow. */
export const VISITORS_PER_CLIENT = 50;

const KINDS = [
  ['/blog/close-faster', 'article'],
  ['/pricing', 'pricing'],
  ['/docs/setup', 'docs'],
  ['/customers/acme', 'case-study'],
  ['/', 'other'],
];

/**
 * Event `i` of the `count` in batch `n` of client `client`, sent at `now`: a page view of visitor
 * `v_load_<client>_<n % VISITORS_PER_CLIENT>`, one second after the previous event.
 */
export function pageViewAt(client, n, i, count, now) {
  const [path, kind] = KINDS[(n + i) % KINDS.length];
  const ts = new Date(now - (count - i) * 1000).toISOString();
  const visitor = `v_load_${client}_${n % VISITORS_PER_CLIENT}`;
  return {
    id: uuidv7(),
    type: 'page_view',
    ts,
    visitor,
    session: `s_load_${client}_${n}`,
    page: { path, kind, title: `Page ${path}` },
    props: { nav: 'spa' },
  };
}

/** The `p`th percentile of sorted numbers. */
export const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/** The report rows both load tests print for throughput and latency, from `postBatch`'s stats. */
export function throughputRows(stats, elapsedS) {
  const sorted = [...stats.latencies].sort((a, b) => a - b);
  const ms = (v) => `${v.toFixed(1)} ms`;
  return [
    ['Batches answered', `${stats.batches} (${stats.failed} not 202)`],
    ['Batches / s', (stats.batches / elapsedS).toFixed(0)],
    ['Events / s (stored)', (stats.accepted / elapsedS).toFixed(0)],
    ['Latency p50', ms(percentile(sorted, 50))],
    ['Latency p99', ms(percentile(sorted, 99))],
    ['Latency max', ms(sorted[sorted.length - 1] ?? 0)],
  ];
}
