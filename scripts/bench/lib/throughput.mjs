// How fast Inkling's track() accepts events and gets them into IndexedDB, and the JS heap they take,
// through the npm build in real Chromium.
import { newContext } from './chromium.mjs';

/**
 * Two shapes, each in a fresh context:
 * - `burst`: `events` track() calls in one synchronous loop (a page replaying a backlog);
 * - `tasks`: one track() per task (events as they come from interactions), through a MessageChannel so
 *   no timer clamping slows the loop.
 * The tracker's only transport never answers, so nothing leaves the queue, and its bounds are raised to
 * hold every event (by default the queue keeps the newest 1,000). The heap is measured after a garbage
 * collection, once the tracker has started and again with every event queued: the difference is what the
 * queued events hold (the in-memory mirror of the queue).
 */
export const THROUGHPUT = [
  ['burst', 1000],
  ['burst', 5000],
  ['tasks', 1000],
];

export async function runThroughput(env, servers, shape, events) {
  const context = await newContext(env);
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await page.goto(`${servers.siteUrl}/inkling-npm/throughput`, { waitUntil: 'load' });
    const heap = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      return (await cdp.send('Runtime.getHeapUsage')).usedSize;
    };
    await cdp.send('HeapProfiler.enable');
    await page.evaluate(async (events) => {
      const STORE = 'inkling:bench:q:hold';
      const tracker = (window.tracker = window.inklingCreateTracker({
        site: 'bench',
        autoPageViews: false,
        transports: [{ name: 'hold', send: () => new Promise(() => {}) }],
        queue: { maxEvents: events * 2, maxBytes: 256 << 20 },
      }));
      // Only ever opened after Inkling created the database: opening it first would create it without its store.
      let created = false;
      const count = async () => {
        created ||= (await indexedDB.databases()).some((d) => d.name === STORE);
        if (!created) return 0;
        const db = await new Promise((ok, fail) =>
          Object.assign(indexedDB.open(STORE), { onsuccess: (e) => ok(e.target.result), onerror: fail }),
        );
        try {
          return await new Promise((ok, fail) =>
            Object.assign(db.transaction('kv').objectStore('kv').count(), { onsuccess: (e) => ok(e.target.result), onerror: fail }),
          );
        } finally {
          db.close();
        }
      };
      window.until = async (n) => {
        while ((await count()) < n) await new Promise((r) => setTimeout(r, 5));
      };
      // The first event opens the database and starts the visit (visit_start + the event): not timed.
      tracker.track('warm_up');
      await window.until(2);
    }, events);
    const before = await heap();
    const result = await page.evaluate(
      async ({ shape, events }) => {
        const { tracker, until } = window;
        const props = (i) => ({ plan: 'team', seats: 15, step: i, source: 'pricing-table' });
        const t0 = performance.now();
        if (shape === 'burst') {
          for (let i = 0; i < events; i++) tracker.track('bench_event', props(i));
        } else {
          const channel = new MessageChannel();
          await new Promise((done) => {
            let i = 0;
            channel.port1.onmessage = () => {
              tracker.track('bench_event', props(i));
              if (++i < events) channel.port2.postMessage(0);
              else done();
            };
            channel.port2.postMessage(0);
          });
        }
        const accepted = performance.now();
        await until(events + 2);
        const persisted = performance.now();
        return { acceptMs: accepted - t0, persistMs: persisted - t0, queued: tracker.getStats().queued };
      },
      { shape, events },
    );
    const after = await heap();
    // Every event is still queued (plus the warm-up event and its visit_start): none was dropped or sent.
    if (result.queued < events + 2) throw new Error(`throughput ${shape} ${events}: only ${result.queued} events queued`);
    return { ...result, events, heapBytes: after - before };
  } finally {
    await context.close();
  }
}
