import type { AnyEvent } from '@inkling/core';
import { uuidv7 } from '@inkling/core';
import { describe, expect, it } from 'vitest';
import { makeEvent } from '@inkling/core/test';
import { createMirror } from './mirror.js';
import type { QueueLimits, QueueStats, Rec } from './queue.js';
import { HOLD, WAIT } from './queue.js';
import { getAll, openStore } from './store.js';

let names = 0;
const limits: QueueLimits = {
  maxEvents: 3,
  maxBytes: 1000,
  maxAgeMs: 60_000,
  maxAttempts: 10,
  batchEvents: 25,
  batchBytes: 32 * 1024,
  batchDelayMs: 5000,
};
const rec = (ageMs = 0, b = 100, h?: Rec['h']): Rec => {
  const e = makeEvent('track', { id: uuidv7(Date.now() - ageMs) }) as AnyEvent;
  return h ? { e, b, a: 0, o: 'me', h } : { e, b, a: 0, o: 'me' };
};
const mirror = (store = openStore(`mirror-${++names}`)) => {
  const mem = new Map<string, Rec>();
  const stats: QueueStats = { queued: 0, sent: 0, retried: 0, dropped: {} };
  return { mem, stats, store, parts: createMirror(mem, limits, stats, store, Promise.resolve(), () => {}) };
};

describe('createMirror', () => {
  it('keeps the bytes and the quiet count as records are set, replaced and deleted', () => {
    const { parts } = mirror();
    const [put, del, , , , , , , bytes, quiet] = parts;
    const [a, b] = [rec(0, 100), rec(0, 200, HOLD)];
    put(a.e.id, a);
    put(b.e.id, b);
    expect([bytes(), quiet()]).toEqual([300, 1]);
    put(b.e.id, { ...b, b: 50, h: 0 });
    expect([bytes(), quiet()]).toEqual([150, 0]);
    expect(del(a.e.id)).toBe(a);
    expect(del(a.e.id)).toBeUndefined();
    expect([bytes(), quiet()]).toEqual([50, 0]);
  });

  it('coalesces the writes of a task into one transaction, deletes included', async () => {
    const { parts, store } = mirror();
    const [put, del, write] = parts;
    const [a, b] = [rec(), rec()];
    for (const r of [a, b]) {
      put(r.e.id, r);
      write(r.e.id, r);
    }
    del(a.e.id);
    await new Promise((r) => setTimeout(r, 50));
    expect(await getAll(store)).toEqual([b]);
  });

  it('drops the oldest records but not those in flight to stay within the bounds, counting them', () => {
    const { parts, mem, stats } = mirror();
    const [put, , , , bound, , , , , , , flying] = parts;
    const recs = [rec(4), rec(3), rec(2), rec(1), rec(0)];
    for (const r of recs) put(r.e.id, r);
    flying.add(recs[0]!.e.id);
    bound();
    expect([...mem.values()]).toEqual([recs[0], recs[3], recs[4]]);
    expect(stats.dropped).toEqual({ overflow: 2 });
  });

  it('takes the next records within the limits, skipping held and flying ones and dropping expired ones', () => {
    const { parts, mem, stats } = mirror();
    const [put, , , , , take, , , , , , flying] = parts;
    const [old, held, flown, waits, next, last] = [rec(120_000), rec(5, 100, HOLD), rec(4), rec(3, 100, WAIT), rec(2), rec(1)];
    for (const r of [old, held, flown, waits, next, last]) put(r.e.id, r);
    flying.add(flown.e.id);
    expect(take(32 * 1024, 2)).toEqual([waits, next]);
    expect(take(150, 25)).toEqual([waits]);
    expect(mem.has(old.e.id)).toBe(false);
    expect(stats.dropped).toEqual({ expired: 1 });
  });

  it('merges adopted records in id order, within the bounds, and clears everything', async () => {
    const { parts, mem, stats, store } = mirror();
    const [put, , write, , , , merge, clear, bytes] = parts;
    const [a, b, c, d] = [rec(4), rec(3), rec(2), rec(1)];
    put(b.e.id, b);
    put(d.e.id, d);
    write(d.e.id, d);
    merge([
      [c.e.id, c],
      [a.e.id, a],
    ]);
    expect([...mem.values()]).toEqual([b, c, d]);
    expect(bytes()).toBe(300);
    expect(stats.dropped).toEqual({ overflow: 1 });
    await clear('consent');
    expect(mem.size).toBe(0);
    expect(stats.dropped).toEqual({ overflow: 1, consent: 3 });
    expect(await getAll(store)).toEqual([]);
  });

  it('hands every record not in flight over to the next page: stored with no owner, gone from memory', async () => {
    const { parts, mem, store } = mirror();
    const [put, , , , , , , , , , , flying, handOver] = parts;
    const [a, b] = [rec(2), rec(1)];
    for (const r of [a, b]) put(r.e.id, r);
    flying.add(a.e.id);
    handOver();
    expect([...mem.values()]).toEqual([a]);
    await new Promise((r) => setTimeout(r, 50));
    expect(await getAll(store)).toEqual([{ ...b, o: '' }]);
  });
});
