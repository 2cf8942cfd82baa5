// Where Inkling's script-tag build spends its start-up: a Chrome CPU profile of the benchmark's long
// article (the page and the moment `npm run bench` measures), with the top self-time functions.
//
//   node scripts/bench/profile-startup.mjs [--runs 5] [--top 15] [--page long] [--gpc] [--compare OTHER.min.js]
//
// --compare measures another build of the script tag (say, main's) in the same runs, so a change is judged on
// a shared, loaded machine by the difference, not against numbers taken at another time.
// Needs `npm run build` first. The profile runs on a build of the same script without the minifier (in
// scripts/bench/.cache, with the same compile hint on top), so functions keep their source names; the script
// time printed with it is the real minified build's, measured like the benchmark does (CDP Performance,
// main-thread CPU time, up to 1.5 s after the load event). Self time of a browser function called by Inkling
// (a layout forced by `getBoundingClientRect`, a `localStorage` read) is shown as that function, with its
// caller. The profile samples wall-clock time: a call that waits on the browser process (the first
// `localStorage` read of a fresh page) shows its wait here, though it costs little CPU; judge a change by the
// script times (--compare), not by the profile.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { rollup } from 'rollup';
import { getMetrics, launch, newContext } from './lib/chromium.mjs';
import { MAIN_THREAD } from './lib/main-thread.mjs';
import { pageRouter } from './lib/pages.mjs';
import { startServers } from './lib/servers.mjs';
import { CACHE, ROOT } from './lib/sdks.mjs';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    top: { type: 'string', default: '15' },
    page: { type: 'string', default: 'long' },
    gpc: { type: 'boolean', default: false },
    compare: { type: 'string' },
  },
});
const RUNS = Number(args.runs);
const MIN = join(ROOT, 'packages/browser/dist/inkling.min.js');
const READABLE = join(CACHE, 'inkling.profile.js');
if (!existsSync(MIN)) throw new Error('packages/browser/dist/inkling.min.js is missing: run npm run build first');

// The script tag's own build, from the repository's rollup config, without the minifier.
async function buildReadable() {
  process.chdir(ROOT);
  const { default: configs, COMPILE_HINT } = await import(join(ROOT, 'rollup.config.mjs'));
  const config = configs.find((c) => c.output?.file?.endsWith('/inkling.min.js'));
  if (!config) throw new Error('rollup.config.mjs has no inkling.min.js build');
  mkdirSync(CACHE, { recursive: true });
  const build = await rollup({ ...config, plugins: config.plugins.filter((p) => p.name !== 'terser'), onwarn: () => {} });
  await build.write({ ...config.output, file: READABLE, banner: COMPILE_HINT });
  await build.close();
}

/**
 * Self time (ms) per function of `profile`, keyed "name (file:line)" (a browser function is charged as "name <-
 * caller"), and the inclusive time of each named function of Inkling's.
 */
function selfTimes(profile, isOurs) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0) / 1000));
  const label = (n) => `${n.callFrame.functionName || '(anonymous)'} (${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber + 1})`;
  const out = new Map();
  const inclusive = new Map();
  for (const [id, ms] of self) {
    // Inclusive: each of Inkling's functions on the sample's stack, once.
    const seen = new Set();
    for (let up = id; up; up = parent.get(up)) {
      const n = byId.get(up);
      if (isOurs(n.callFrame.url) && n.callFrame.functionName) seen.add(label(n));
    }
    for (const key of seen) inclusive.set(key, (inclusive.get(key) ?? 0) + ms);

    const node = byId.get(id);
    if (!node) continue;
    let key;
    if (isOurs(node.callFrame.url)) key = label(node);
    else if (!node.callFrame.url) {
      // A browser function (no script URL): charged to Inkling only when Inkling called it.
      let up = parent.get(id);
      while (up && !byId.get(up).callFrame.url && byId.get(up).callFrame.functionName) up = parent.get(up);
      const caller = up && byId.get(up);
      if (!caller || !isOurs(caller.callFrame.url) || /^\((program|idle|root|garbage collector)\)$/.test(node.callFrame.functionName))
        continue;
      key = `${node.callFrame.functionName || '(native)'} <- ${label(caller)}`;
    } else continue;
    out.set(key, (out.get(key) ?? 0) + ms);
  }
  return [out, inclusive];
}

async function run(env, servers, script, profile) {
  const context = await newContext(env);
  try {
    if (args.gpc)
      await context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }));
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    if (profile) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
      await cdp.send('Profiler.start');
    }
    await page.goto(`${servers.siteUrl}/${script}/${args.page}`, { waitUntil: 'load' });
    await new Promise((r) => setTimeout(r, MAIN_THREAD.settleMs));
    const m = await getMetrics(cdp);
    const result = { scriptMs: (m.ScriptDuration + m.V8CompileDuration) * 1000 };
    if (profile) result.profile = (await cdp.send('Profiler.stop')).profile;
    return result;
  } finally {
    await context.close();
  }
}

await buildReadable();
const tags = { none: '', min: '', readable: '', other: '' };
const servers = await startServers({
  pages: pageRouter(tags),
  routes: [
    { path: '/sdk/inkling.min.js', file: MIN, type: 'js' },
    { path: '/sdk/inkling.profile.js', file: READABLE, type: 'js' },
    ...(args.compare ? [{ path: '/sdk/other.min.js', file: args.compare, type: 'js' }] : []),
  ],
});
const tag = (file) => `<script src="/sdk/${file}" data-endpoint="${servers.collectorUrl}/i" data-site="bench"></script>`;
tags.min = tag('inkling.min.js');
tags.readable = tag('inkling.profile.js');
tags.other = tag('other.min.js');
const measured = args.compare ? ['none', 'min', 'other'] : ['none', 'min'];
const env = await launch();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  const scriptMs = { none: [], min: [], other: [] };
  const totals = new Map();
  const inclusive = new Map();
  for (let i = 0; i < RUNS; i++) {
    for (const id of measured) scriptMs[id].push((await run(env, servers, id, false)).scriptMs);
    const { profile } = await run(env, servers, 'readable', true);
    const [self, incl] = selfTimes(profile, (url) => url.endsWith('/inkling.profile.js'));
    for (const [key, ms] of self) totals.set(key, (totals.get(key) ?? 0) + ms);
    for (const [key, ms] of incl) inclusive.set(key, (inclusive.get(key) ?? 0) + ms);
  }
  const ours = [...totals.values()].reduce((a, b) => a + b, 0) / RUNS;
  console.log(
    `Page /${args.page}${args.gpc ? ' with Global Privacy Control' : ''}, ${RUNS} runs. Script at start-up (median, ms): ` +
      `inkling.min.js ${median(scriptMs.min).toFixed(2)}` +
      (args.compare ? `, ${args.compare} ${median(scriptMs.other).toFixed(2)}` : '') +
      `, page alone ${median(scriptMs.none).toFixed(2)}.`,
  );
  console.log(`Profile of the unminified build: ${ours.toFixed(2)} ms of self time in or called by Inkling per run.\n`);
  console.log('| Self time (ms/run) | Share | Function |');
  console.log('| ---: | ---: | --- |');
  for (const [key, ms] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, Number(args.top))) {
    console.log(`| ${(ms / RUNS).toFixed(2)} | ${((100 * ms) / RUNS / ours).toFixed(0)}% | \`${key}\` |`);
  }
  console.log('\n| Inclusive time (ms/run) | Function |');
  console.log('| ---: | --- |');
  for (const [key, ms] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, Number(args.top))) {
    console.log(`| ${(ms / RUNS).toFixed(2)} | \`${key}\` |`);
  }
} finally {
  await env.browser.close();
  await servers.close();
}
