import type { AnyEvent, Batch } from '@inkling/core';
import { uuidv7 } from '@inkling/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeEvent } from '@inkling/core/test';
import type { SendResult } from '../transport/types.js';
import { createBackoff } from './backoff.js';
import { createMirror } from './mirror.js';
import type { QueueLimits, QueueStats, Rec } from './queue.js';
import { createSend, MAX_UNLOAD_BYTES } from './send.js';

const limits: QueueLimits = {
  maxEvents: 1000,
  maxBytes: 1 << 21,
  maxAgeMs: 60_000,
  maxAttempts: 2,
  batchEvents: 25,
  batchBytes: 32 * 1024,
  batchDelayMs: 5000,
};
const rec = (b = 100): Rec => ({ e: makeEvent('track', { id: uuidv7() }) as AnyEvent, b, a: 0, o: 'me' });

let stops: Array<() => void> = [];
afterEach(() => {
  stops.forEach((stop) => stop());
  stops = [];
  vi.restoreAllMocks();
});

/** A sender over a mirror holding `recs`, whose transport answers with `answer` and records what it got. */
const sender = (recs: Rec[], answer: (batch: Batch) => SendResult | Promise<SendResult>) => {
  const mem = new Map<string, Rec>();
  const stats: QueueStats = { queued: 0, sent: 0, retried: 0, dropped: {} };
  const mirror = createMirror(mem, limits, stats, undefined, Promise.resolve(), () => {});
  for (const r of recs) mirror[0](r.e.id, r);
  const backoff = createBackoff(() => {});
  stops.push(backoff[4]);
  const sent: Array<{ ids: string[]; unload: boolean }> = [];
  const errors: unknown[] = [];
  const transport = {
    name: 'test',
    send: async (batch: Batch, { unload }: { unload: boolean }) => {
      sent.push({ ids: batch.events.map((e) => e.id), unload });
      return answer(batch);
    },
  };
  const [send, sendUnload, batchEvents] = createSend(transport, 'site', limits, stats, mem, mirror, backoff, (e) => errors.push(e));
  return { mem, stats, backoff, send, sendUnload, batchEvents, sent, errors };
};

describe('createSend', () => {
  it('deletes what was delivered, and drops what the collector refused in a delivered batch', async () => {
    const recs = [rec(), rec(), rec()];
    const { mem, stats, send } = sender(recs, () => ({ status: 200, rejected: [1] }));
    expect(await send(recs, false)).toBe(true);
    expect(mem.size).toBe(0);
    expect(stats).toMatchObject({ sent: 2, dropped: { rejected: 1 } });
  });

  it('halves the batch on 413 and goes on; drops a single event that is still too large, reporting it', async () => {
    const recs = [rec(), rec(), rec()];
    const { mem, stats, send, batchEvents, errors } = sender(recs, () => ({ status: 413 }));
    expect(batchEvents()).toBe(25);
    expect(await send(recs, false)).toBe(true);
    expect(batchEvents()).toBe(2);
    expect(mem.size).toBe(3);
    expect(await send([recs[0]!], false)).toBe(true);
    expect(stats.dropped).toEqual({ 'too-large': 1 });
    expect(String(errors[0])).toContain('test answered 413; 1 event(s) dropped');
  });

  it('drops a batch refused for good (4xx), reporting it', async () => {
    const recs = [rec(), rec()];
    const { mem, stats, send, errors } = sender(recs, () => ({ status: 400 }));
    expect(await send(recs, false)).toBe(true);
    expect(mem.size).toBe(0);
    expect(stats.dropped).toEqual({ rejected: 2 });
    expect(String(errors[0])).toContain('test answered 400; 2 event(s) dropped');
  });

  it('retries with backoff, counting attempts, and drops an event out of attempts; stops sending', async () => {
    const recs = [rec()];
    const { mem, stats, backoff, send } = sender(recs, () => ({ status: 503, retryAfter: '30' }));
    expect(await send(recs, false)).toBe(false);
    expect(stats.retried).toBe(1);
    expect(recs[0]!.a).toBe(1);
    expect(backoff[1]()).toBeGreaterThan(Date.now() + 29_000);
    expect(await send(recs, false)).toBe(false);
    expect(mem.size).toBe(0);
    expect(stats.dropped).toEqual({ retries: 1 });
  });

  it('counts a thrown transport as a network error; offline, nothing counts', async () => {
    const recs = [rec()];
    const { stats, send } = sender(recs, () => Promise.reject(new Error('offline')));
    vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    expect(await send(recs, false)).toBe(false);
    expect([stats.retried, recs[0]!.a]).toEqual([0, 0]);
    vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(true);
    expect(await send(recs, false)).toBe(false);
    expect([stats.retried, recs[0]!.a]).toEqual([1, 1]);
  });

  it('on unload sends keepalive batches, no more than MAX_UNLOAD_BYTES in flight at once', async () => {
    const size = limits.batchBytes / 2;
    const recs = Array.from({ length: 8 }, () => rec(size));
    // The collector never answers: every batch sent stays in flight.
    const { sent, sendUnload } = sender(recs, () => new Promise<SendResult>(() => {}));
    sendUnload();
    await Promise.resolve();
    const inFlight = sent.reduce((sum, s) => sum + s.ids.length * size, 0);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((s) => s.unload)).toBe(true);
    expect(inFlight).toBeLessThanOrEqual(MAX_UNLOAD_BYTES);
    expect(inFlight).toBeGreaterThan(MAX_UNLOAD_BYTES - limits.batchBytes);
    // Nothing more while those are in flight.
    sendUnload();
    await Promise.resolve();
    expect(sent.reduce((sum, s) => sum + s.ids.length * size, 0)).toBe(inFlight);
  });
});
