// The benchmark's browser: Debian's Chromium with the real-browser tests' flags (scripts/lib/chromium.mjs).
import { checkChromium, launchChromium } from '../../lib/chromium.mjs';

export async function launch() {
  checkChromium("the benchmark's main-thread and network runs");
  const browser = await launchChromium();
  // Headless Chromium says "HeadlessChrome" in its user agent, and PostHog drops such visitors' events as
  // bots: every SDK sees the user agent a visitor's Chrome sends.
  const probe = await browser.newPage();
  const userAgent = (await probe.evaluate(() => navigator.userAgent)).replace('HeadlessChrome', 'Chrome');
  await probe.close();
  return { browser, userAgent };
}

/** A fresh context (no storage, no cache, no compiled-code cache) per run, so every run is a first visit. */
export const newContext = ({ browser, userAgent }) => browser.newContext({ userAgent, viewport: { width: 1280, height: 800 } });

/** Uncaught errors on `page`, collected so the doc can say when an SDK failed instead of reporting its numbers as if it ran. */
export function watchErrors(page) {
  const errors = [];
  page.on('pageerror', (error) => errors.push(String(error.message).split('\n')[0].slice(0, 200)));
  return errors;
}

/** Renderer main-thread counters (thread CPU time, seconds) and the JS heap, from the CDP Performance domain. */
export async function getMetrics(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
}

/** Trace categories: script evaluation, compilation and tasks; nothing sampled, to keep tracing cheap. */
export const TRACE_CATEGORIES = ['devtools.timeline', 'toplevel'];

const SCRIPT_EVENTS = new Set(['EvaluateScript', 'v8.compile', 'v8.compileModule', 'v8.evaluateModule', 'v8.produceCache']);
const urlOf = (e) => e.args?.data?.url ?? e.args?.beginData?.url ?? e.args?.fileName ?? '';

/**
 * From a trace of one page load, on the page's renderer main thread, in thread CPU time: the time spent
 * compiling and evaluating the files `isSdkUrl` accepts (an event nested in a counted one is not counted
 * again), the longest task, and the number of tasks over 50 ms.
 */
export function readTrace(buffer, isSdkUrl) {
  const events = JSON.parse(buffer.toString('utf8')).traceEvents ?? [];
  const mains = new Set(
    events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`),
  );
  // The page's main thread is the renderer main thread that parsed an http page.
  const parse = events.find((e) => e.name === 'ParseHTML' && mains.has(`${e.pid}:${e.tid}`) && /^http/.test(urlOf(e)));
  if (!parse) return { evaluateMs: 0, longestTaskMs: 0, longTasks: 0 };
  const main = `${parse.pid}:${parse.tid}`;
  const onMain = events.filter((e) => `${e.pid}:${e.tid}` === main && e.ph === 'X' && typeof e.dur === 'number');
  const cpu = (e) => (e.tdur ?? e.dur) / 1000;
  let evaluateMs = 0;
  let coveredUntil = -1;
  for (const e of onMain.filter((e) => SCRIPT_EVENTS.has(e.name) && isSdkUrl(urlOf(e))).sort((a, b) => a.ts - b.ts)) {
    if (e.ts < coveredUntil) continue;
    evaluateMs += cpu(e);
    coveredUntil = e.ts + e.dur;
  }
  const tasks = onMain.filter((e) => e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask').map(cpu);
  return { evaluateMs, longestTaskMs: Math.max(0, ...tasks), longTasks: tasks.filter((d) => d > 50).length };
}
