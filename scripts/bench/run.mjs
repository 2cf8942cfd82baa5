// Benchmarks Inkling against the SDKs users would otherwise pick, side by side in one run, and writes
// docs/benchmarks.md. `npm run bench` builds Inkling, installs the peers into scripts/bench/node_modules
// (their own lockfile, never the root's) and runs this file.
//
//   node scripts/bench/run.mjs [--runs 5] [--network-runs 3] [--throughput-runs 5] [--only inkling,posthog] [--out FILE]
//
// A run with fewer than 5 timing runs or with --only writes scripts/bench/.cache/benchmarks.md instead
// of the doc, so a quick look never replaces the published numbers.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { launch } from './lib/chromium.mjs';
import { MAIN_THREAD, runMainThread } from './lib/main-thread.mjs';
import { READ_TICK_MS, READING, runNetwork } from './lib/network.mjs';
import { pageRouter } from './lib/pages.mjs';
import { renderReport } from './lib/report.mjs';
import { findAsset, startServers, SUCCESS_BODY } from './lib/servers.mjs';
import { measure, measureSizes } from './lib/size.mjs';
import { BENCH, CACHE, INKLING_NPM, ROOT, SDKS, versionOf } from './lib/sdks.mjs';
import { runThroughput, THROUGHPUT } from './lib/throughput.mjs';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    'network-runs': { type: 'string', default: '3' },
    'throughput-runs': { type: 'string', default: '5' },
    only: { type: 'string' },
    out: { type: 'string' },
  },
});
const RUNS = Number(args.runs);
const NETWORK_RUNS = Number(args['network-runs']);
const THROUGHPUT_RUNS = Number(args['throughput-runs']);
const only = args.only?.split(',');
const sdks = SDKS.filter((s) => !only || s.id === 'inkling' || only.includes(s.id));
const out = args.out ?? (only || RUNS < 5 ? join(CACHE, 'benchmarks.md') : join(ROOT, 'docs/benchmarks.md'));

const began = Date.now();
const say = (message) => process.stderr.write(`[bench ${((Date.now() - began) / 1000).toFixed(0).padStart(4)} s] ${message}\n`);

// What the run needs, with the fix when it is missing.
for (const file of [join(ROOT, 'packages/browser/dist/inkling.min.js'), join(ROOT, 'packages/browser/dist/index.js')]) {
  if (!existsSync(file)) throw new Error(`${relative(ROOT, file)} is missing: run npm run build first (npm run bench does)`);
}
for (const sdk of SDKS.filter((s) => s.id !== 'inkling')) {
  if (!existsSync(join(BENCH, 'node_modules', sdk.pkg, 'package.json'))) {
    throw new Error(`${sdk.pkg} is not installed: run npm ci --prefix scripts/bench (npm run bench does)`);
  }
}
mkdirSync(CACHE, { recursive: true });

/** Each round runs every configuration once, starting one further along, so no SDK always goes first. */
const rotate = (list, by) => list.map((_, i) => list[(i + by) % list.length]);

say('sizes');
const sizes = await measureSizes([...sdks, INKLING_NPM]);

const tags = { none: '', [INKLING_NPM.id]: INKLING_NPM.tag() };
const routes = [...sdks, INKLING_NPM].flatMap((s) => s.routes());
const servers = await startServers({ pages: pageRouter(tags), routes });
for (const sdk of sdks) tags[sdk.id] = sdk.tag({ collector: servers.collectorUrl, site: servers.siteUrl });
const env = await launch();
const loadBefore = loadavg();

const results = {
  machine: {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `Linux ${release()}${existsSync('/etc/debian_version') ? `, Debian ${readFileSync('/etc/debian_version', 'utf8').trim()}` : ''}`,
    chromium: env.browser.version(),
    node: process.version,
    playwright: versionOf('playwright-core', join(ROOT, 'node_modules')),
    date: new Date().toISOString(),
  },
  settings: {
    runs: RUNS,
    networkRuns: NETWORK_RUNS,
    throughputRuns: THROUGHPUT_RUNS,
    mainThread: MAIN_THREAD,
    reading: READING,
    readTickMs: READ_TICK_MS,
    throughput: THROUGHPUT,
    collectorBody: SUCCESS_BODY,
  },
  sdks: sdks.map((s) => ({
    id: s.id,
    name: s.name,
    pkg: s.pkg,
    version: s.version?.() ?? versionOf(s.pkg),
    what: s.what,
    config: s.config,
  })),
  inklingNpm: { id: INKLING_NPM.id, name: INKLING_NPM.name, what: INKLING_NPM.what },
  sizes,
  mainThread: {},
  network: {},
  throughput: {},
};

try {
  const configs = ['none', ...sdks.map((s) => s.id)];
  for (let round = 0; round < RUNS; round++) {
    for (const id of rotate(configs, round)) {
      say(`main thread ${round + 1}/${RUNS}: ${id}`);
      (results.mainThread[id] ??= []).push(await runMainThread(env, servers, id));
    }
  }
  // The JavaScript each SDK actually loaded at start-up (its script and any lazy chunks), gzip -9.
  results.loaded = Object.fromEntries(
    sdks.map((sdk) => {
      const files = [...new Set(results.mainThread[sdk.id][0].downloads)].map((path) => ({ path, asset: findAsset(routes, path) }));
      const js = files.filter((f) => f.asset?.file && f.asset.type === 'js');
      return [sdk.id, { files: js.map((f) => f.path), gzip: js.reduce((n, f) => n + measure(readFileSync(f.asset.file)).gzip, 0) }];
    }),
  );

  for (let round = 0; round < NETWORK_RUNS; round++) {
    for (const id of rotate(
      sdks.map((s) => s.id),
      round,
    )) {
      say(`network ${round + 1}/${NETWORK_RUNS}: ${id}`);
      (results.network[id] ??= []).push(await runNetwork(env, servers, id));
    }
  }

  for (let round = 0; round < THROUGHPUT_RUNS; round++) {
    for (const [shape, events] of THROUGHPUT) {
      say(`throughput ${round + 1}/${THROUGHPUT_RUNS}: ${shape} ${events}`);
      (results.throughput[`${shape}-${events}`] ??= []).push(await runThroughput(env, servers, shape, events));
    }
  }
} finally {
  await env.browser.close();
  await servers.close();
}

results.machine.load = { before: loadBefore, after: loadavg() };
results.durationS = Math.round((Date.now() - began) / 1000);
writeFileSync(join(CACHE, 'results.json'), JSON.stringify(results, null, 2));
mkdirSync(join(out, '..'), { recursive: true });
writeFileSync(out, renderReport(results));
say(`wrote ${relative(process.cwd(), out)} (raw results in ${relative(process.cwd(), join(CACHE, 'results.json'))})`);
