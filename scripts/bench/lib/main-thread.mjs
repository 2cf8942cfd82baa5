// Main-thread cost of one page load and of continuous scrolling, in one fresh context, in real time.
// No fake clock here: Playwright's clock runs timer callbacks from its own injected code, which the
// renderer does not count as page script, and its fake Date would be charged to the SDKs that call it.
import { getMetrics, newContext, readTrace, TRACE_CATEGORIES, watchErrors } from './chromium.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The files an SDK loads: its script under /sdk/, and what its loader fetches at run time. */
export const isSdkUrl = (url) => /^http:\/\/127\.0\.0\.1:\d+\/(sdk|static|analytics-next)\//.test(url);

/**
 * Start-up is measured this long after the load event, so the SDKs' start-up timers and fetches are in
 * it. The scrolling session: a 60 px wheel tick every 50 ms (continuous scrolling, the worst case for
 * scroll handlers), turning every 2 s so the page never runs out.
 */
export const MAIN_THREAD = { settleMs: 1500, sessionMs: 5000, tickMs: 50, wheelPx: 60, turnMs: 2000 };

// Renderer main-thread CPU time (seconds -> ms) spent running and compiling script; the two counters are
// disjoint (TaskOtherDuration is what the task time leaves after both).
const scriptMs = (m) => (m.ScriptDuration + m.V8CompileDuration) * 1000;

/**
 * Loads `/<sdk>/long`, traces the load, then scrolls. Returns, for start-up and for the session, the
 * main thread's script and task time (thread CPU time, CDP Performance domain), the compile and
 * evaluation time of the SDK's files and the longest task (trace), the JS heap after a garbage collection,
 * and the SDK files fetched.
 */
export async function runMainThread(env, servers, sdkId, o = MAIN_THREAD) {
  const context = await newContext(env);
  try {
    const page = await context.newPage();
    const errors = watchErrors(page);
    const cdp = await context.newCDPSession(page);
    // threadTicks: durations are the main thread's CPU time, so other work on the machine inflates them
    // less than wall time would.
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    servers.reset();

    await env.browser.startTracing(page, { categories: TRACE_CATEGORIES });
    await page.goto(`${servers.siteUrl}/${sdkId}/long`, { waitUntil: 'load' });
    await sleep(o.settleMs);
    const atStart = await getMetrics(cdp);
    const trace = readTrace(await env.browser.stopTracing(), isSdkUrl);
    const downloads = servers.log.filter((e) => e.kind === 'download').map((e) => e.path);

    await page.mouse.move(640, 400);
    const begin = Date.now();
    let tick = 0;
    for (; Date.now() - begin < o.sessionMs; tick++) {
      const direction = Math.floor((tick * o.tickMs) / o.turnMs) % 2 ? -1 : 1;
      await page.mouse.wheel(0, direction * o.wheelPx);
      await sleep(begin + (tick + 1) * o.tickMs - Date.now());
    }
    const atEnd = await getMetrics(cdp);
    await cdp.send('HeapProfiler.enable');
    await cdp.send('HeapProfiler.collectGarbage');
    const afterGc = await getMetrics(cdp);
    return {
      evaluateMs: trace.evaluateMs,
      startupScriptMs: scriptMs(atStart),
      startupTaskMs: atStart.TaskDuration * 1000,
      longestTaskMs: trace.longestTaskMs,
      longTasks: trace.longTasks,
      sessionScriptMs: scriptMs(atEnd) - scriptMs(atStart),
      sessionTaskMs: (atEnd.TaskDuration - atStart.TaskDuration) * 1000,
      heapBytes: afterGc.JSHeapUsedSize,
      ticks: tick,
      downloads,
      errors,
    };
  } finally {
    await context.close();
  }
}
