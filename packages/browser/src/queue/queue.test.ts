import type { AnyEvent, Batch } from '@inkling/core';
import { getByteLength, uuidv7 } from '@inkling/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeEvent } from '@inkling/core/test';
import type { SendResult, Transport } from '../transport/types.js';
import { ADOPT_WAIT_MS, createQueue, HOLD, MAX_UNLOAD_BYTES, WAIT } from './queue.js';
import type { QueueLimits } from './queue.js';
import { DEFAULT_LIMITS } from '../options.js';
import { getAll, openStore, writeMany } from './store.js';

type Answer = number | SendResult | Error;

/** A transport that answers from a script (then 200) and records every send. */
function scripted(answers: Answer[] = []) {
  const sends: Array<{ ids: string[]; unload: boolean; at: number }> = [];
  const transport: Transport = {
    name: 'test',
    async send(batch: Batch, { unload }) {
      sends.push({ ids: batch.events.map((e) => e.id), unload, at: Date.now() });
      const answer = answers.shift() ?? 200;
      if (answer instanceof Error) throw answer;
      return typeof answer === 'number' ? { status: answer } : answer;
    },
  };
  return { transport, sends, delivered: () => sends.map((s) => s.ids) };
}

let names = 0;
function setup(answers: Answer[] = [], limits: Partial<QueueLimits> = {}, { persist = false, tab = 'me' } = {}) {
  const t = scripted(answers);
  const store = persist ? openStore(`test-${++names}`) : undefined;
  const errors: unknown[] = [];
  const queue = createQueue(
    t.transport,
    { ...DEFAULT_LIMITS, ...limits },
    { site: 'test', tab, alive: Promise.resolve(), report: (e) => errors.push(e), store },
  );
  const add = (n: number, props = {}) => {
    const events = Array.from({ length: n }, () => makeEvent('track', { props: { name: 'x', ...props } }) as AnyEvent);
    events.forEach((e) => queue._add(e, getByteLength(JSON.stringify(e))));
    return events.map((e) => e.id);
  };
  return { ...t, queue, add, store, errors };
}

const tick = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] }));
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('batching', () => {
  it('sends a full batch of 25 at once and the rest 5 s later, in order', async () => {
    const q = setup();
    const ids = q.add(30);
    await tick(0);
    expect(q.delivered()).toEqual([ids.slice(0, 25), ids.slice(25)]);
  });

  it('waits 5 s after the first event of a partial batch', async () => {
    const q = setup();
    const ids = q.add(3);
    await tick(4999);
    expect(q.sends).toHaveLength(0);
    await tick(1);
    expect(q.delivered()).toEqual([ids]);
  });

  it('cuts batches by UTF-8 bytes, not string length', async () => {
    // Each event carries 1,000 three-byte characters: about 3 KiB of UTF-8, 1 K of string length.
    const q = setup([], { batchBytes: 8 * 1024 });
    const ids = q.add(5, { text: '€'.repeat(1000) });
    await q.queue._flush();
    expect(q.delivered().map((b) => b.length)).toEqual([2, 2, 1]);
    expect(q.delivered().flat()).toEqual(ids);
  });
});

describe('retries', () => {
  it('retries 500, 500 and delivers once, with backoff', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const q = setup([500, 500]);
    const ids = q.add(2);
    await q.queue._flush();
    await tick(500); // 0.5 x 1 s
    await tick(1000); // 0.5 x 2 s
    expect(q.delivered()).toEqual([ids, ids, ids]);
    expect(q.sends.map((s) => s.at - q.sends[0]!.at)).toEqual([0, 500, 1500]);
    expect(q.queue._stats()).toMatchObject({ queued: 0, sent: 2, retried: 4 });
  });

  it('honours Retry-After in seconds', async () => {
    const q = setup([{ status: 503, retryAfter: '3' }]);
    q.add(1);
    await q.queue._flush();
    await tick(2999);
    expect(q.sends).toHaveLength(1);
    await tick(1);
    expect(q.sends).toHaveLength(2);
    expect(q.sends[1]!.at - q.sends[0]!.at).toBe(3000);
  });

  it('honours Retry-After as an HTTP-date', async () => {
    const q = setup([{ status: 429, retryAfter: new Date(Date.now() + 10_000).toUTCString() }]);
    q.add(1);
    await q.queue._flush();
    await tick(9000);
    expect(q.sends).toHaveLength(1);
    await tick(1000);
    expect(q.sends).toHaveLength(2);
  });

  it.each([400, 422])('drops events the collector rejects with %i, without retrying', async (status) => {
    const q = setup([status]);
    q.add(3);
    await q.queue._flush();
    await tick(600_000);
    expect(q.sends).toHaveLength(1);
    expect(q.queue._stats()).toMatchObject({ queued: 0, sent: 0, dropped: { rejected: 3 } });
    expect(String(q.errors[0])).toMatch(/answered \d+; 3 event\(s\) dropped/);
  });

  it('counts the events a collector rejected by index as dropped and the rest of the batch as sent', async () => {
    const q = setup([{ status: 202, rejected: [1] }]);
    q.add(3);
    await q.queue._flush();
    await tick(600_000);
    expect(q.sends).toHaveLength(1);
    expect(q.queue._stats()).toMatchObject({ queued: 0, sent: 2, retried: 0, dropped: { rejected: 1 } });
  });

  it('splits a batch the collector finds too large, and delivers both halves', async () => {
    const q = setup([413]);
    const ids = q.add(4);
    await q.queue._flush();
    expect(q.delivered()).toEqual([ids, ids.slice(0, 2), ids.slice(2)]);
    expect(q.queue._stats()).toMatchObject({ sent: 4, dropped: {} });
  });

  it('drops a single event that is still too large', async () => {
    const q = setup([413]);
    q.add(1);
    await q.queue._flush();
    expect(q.queue._stats().dropped).toEqual({ 'too-large': 1 });
  });

  it('gives up on an event after 10 attempts', async () => {
    const q = setup(Array(20).fill(500));
    q.add(1);
    await q.queue._flush();
    await tick(3_600_000);
    expect(q.sends).toHaveLength(10);
    expect(q.queue._stats()).toMatchObject({ queued: 0, dropped: { retries: 1 } });
  });

  it('pauses after 3 network errors in a row and resumes when back online', async () => {
    const q = setup([new Error('blocked'), new Error('blocked'), new Error('blocked')]);
    q.add(1);
    await q.queue._flush();
    await tick(3_600_000);
    expect(q.sends).toHaveLength(3);
    expect(String(q.errors.at(-1))).toMatch(/failed 3 times in a row; paused/);
    window.dispatchEvent(new Event('online'));
    await q.queue._flush();
    expect(q.sends).toHaveLength(4);
    expect(q.queue._stats()).toMatchObject({ sent: 1, queued: 0 });
  });

  it('does not send or count attempts while offline', async () => {
    vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    const q = setup();
    q.add(2);
    await q.queue._flush();
    await tick(60_000);
    expect(q.sends).toHaveLength(0);
    vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(true);
    window.dispatchEvent(new Event('online'));
    await q.queue._flush();
    expect(q.sends).toHaveLength(1);
    expect(q.queue._stats()).toMatchObject({ sent: 2, retried: 0 });
  });
});

describe('bounds', () => {
  it('drops the oldest events over the count bound and counts them', async () => {
    vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    const q = setup([], { maxEvents: 10 });
    const ids = q.add(15);
    vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(true);
    await q.queue._flush();
    expect(q.delivered().flat()).toEqual(ids.slice(5));
    expect(q.queue._stats().dropped).toEqual({ overflow: 5 });
  });

  it('drops the oldest events over the byte bound, counting replaced events once', async () => {
    vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    const q = setup([], { maxBytes: 5000 });
    const ids = q.add(4, { text: 'x'.repeat(1000) }); // about 1.3 KB each
    const again = makeEvent('track', { id: ids[3]!, props: { name: 'x', text: 'x'.repeat(1000) } }) as AnyEvent;
    q.queue._add(again, getByteLength(JSON.stringify(again)));
    expect(q.queue._stats()).toMatchObject({ queued: 3, dropped: { overflow: 1 } });
    vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(true);
    await q.queue._flush();
    expect(q.delivered().flat()).toEqual(ids.slice(1));
  });

  it('drops events older than the age bound', async () => {
    vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    const q = setup([], { maxAgeMs: 60_000 });
    q.add(2);
    await tick(61_000);
    vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(true);
    await q.queue._flush();
    expect(q.sends).toHaveLength(0);
    expect(q.queue._stats().dropped).toEqual({ expired: 2 });
  });
});

describe('unload', () => {
  it('sends everything not held at once, within the keepalive budget', async () => {
    const q = setup();
    const ids = q.add(60);
    const held = makeEvent('page_engagement') as AnyEvent;
    q.queue._add(held, 200, HOLD);
    await q.queue._flush(true);
    expect(q.sends.every((s) => s.unload)).toBe(true);
    expect(q.delivered().flat()).toEqual(ids);
  });

  it('keeps what does not fit in the budget for later', async () => {
    const q = setup([], { batchBytes: 40 * 1024 });
    // 20 events of about 4 KiB: 80 KiB, more than the 48 KiB budget.
    const ids = q.add(20, { text: 'x'.repeat(4000) });
    await q.queue._flush(true);
    const sent = q.delivered().flat();
    expect(sent.length).toBeGreaterThan(0);
    expect(MAX_UNLOAD_BYTES).toBe(48 * 1024);
    expect(sent.length * 4100).toBeLessThanOrEqual(MAX_UNLOAD_BYTES);
    expect(sent).toEqual(ids.slice(0, sent.length));
    // Once those answers are in, the rest is still queued, and goes with the next send.
    await tick(0);
    expect(q.queue._stats()).toMatchObject({ queued: ids.length - sent.length, dropped: {} });
    await q.queue._flush();
    expect(q.delivered().flat()).toEqual(ids);
  });
});

describe('storage', () => {
  it('writes one record per event and deletes it on delivery', async () => {
    vi.useRealTimers();
    // The retry waits 0.9 s, after the records have been read back.
    vi.spyOn(Math, 'random').mockReturnValue(0.9);
    const q = setup([500], {}, { persist: true });
    const ids = q.add(3);
    await q.queue._flush();
    await new Promise((r) => setTimeout(r, 20));
    const stored = await getAll<{ e: AnyEvent; a: number; o: string }>(q.store!);
    expect(stored.map((r) => [r.e.id, r.a, r.o])).toEqual(ids.map((id) => [id, 1, 'me']));
    await new Promise((r) => setTimeout(r, 1100));
    await q.queue._flush();
    await new Promise((r) => setTimeout(r, 20));
    expect(await getAll(q.store!)).toEqual([]);
  });

  it('adopts the events of a closed tab, but not those of a live one', async () => {
    vi.useRealTimers();
    const store = openStore('adopt');
    const dead = makeEvent('track', { id: uuidv7(Date.now() - 2000) }) as AnyEvent;
    const live = makeEvent('track', { id: uuidv7(Date.now() - 1000) }) as AnyEvent;
    await writeMany(
      [
        [dead.id, { e: dead, b: 300, a: 2, o: 'closed', h: 1 }],
        [live.id, { e: live, b: 300, a: 0, o: 'open' }],
      ],
      store,
    );
    vi.spyOn(navigator, 'locks', 'get').mockReturnValue({
      request: async (name: string, _options: unknown, fn: (lock: unknown) => unknown) => fn({ name }),
      query: async () => ({ held: [{ name: 'inkling:tab:open' }, { name: 'inkling:tab:me' }], pending: [] }),
    } as unknown as LockManager);
    const t = scripted();
    const queue = createQueue(t.transport, DEFAULT_LIMITS, { site: 'test', tab: 'me', alive: Promise.resolve(), report: () => {}, store });
    // The first send of the page looks for orphans; the next one sends what it adopted.
    await queue._flush();
    await new Promise((r) => setTimeout(r, 50));
    await queue._flush();
    expect(t.delivered()).toEqual([[dead.id]]);
  });

  it('sends a waiting event only with a request that goes anyway: the next batch, then the unload flush', async () => {
    vi.useRealTimers();
    const q = setup([], { batchDelayMs: 20 }, { persist: true });
    const first = makeEvent('article_read') as AnyEvent;
    q.queue._add(first, 300, WAIT);
    await new Promise((r) => setTimeout(r, 100));
    await q.queue._flush();
    expect(q.sends).toHaveLength(0);
    const [id] = q.add(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(q.delivered()).toEqual([[first.id, id]]);
    const second = makeEvent('intent') as AnyEvent;
    q.queue._add(second, 300, WAIT);
    await q.queue._flush(true);
    expect(q.sends.at(-1)).toMatchObject({ ids: [second.id], unload: true });
  });

  it('sends a waiting event at once without storage: nothing waits only in memory', async () => {
    const q = setup();
    const event = makeEvent('article_read') as AnyEvent;
    q.queue._add(event, 300, WAIT);
    await tick(5000);
    expect(q.delivered()).toEqual([[event.id]]);
  });

  it('hands its events to the next page of this origin instead of sending them, and that page sends them once', async () => {
    vi.useRealTimers();
    const leaving = setup([], {}, { persist: true, tab: 'left' });
    const ids = leaving.add(2);
    const engagement = makeEvent('page_engagement') as AnyEvent;
    leaving.queue._add(engagement, 300);
    await leaving.queue._flush(true, true);
    await new Promise((r) => setTimeout(r, 50));
    expect(leaving.sends).toHaveLength(0);
    expect(leaving.queue._stats()).toMatchObject({ queued: 0, sent: 0, dropped: {} });
    const stored = await getAll<{ e: AnyEvent; o: string }>(leaving.store!);
    expect(stored.map((r) => [r.e.id, r.o])).toEqual([...ids, engagement.id].map((id) => [id, '']));
    // The next page, in a browser without Web Locks (no way to tell a live tab): a handed-over event has no
    // owner to wait for, so it is adopted at once, not after ORPHAN_AGE_MS.
    vi.spyOn(navigator, 'locks', 'get').mockReturnValue(undefined as unknown as LockManager);
    const t = scripted();
    const next = createQueue(t.transport, DEFAULT_LIMITS, {
      site: 'test',
      tab: 'next',
      alive: Promise.resolve(),
      report: () => {},
      store: leaving.store,
    });
    const view = makeEvent('page_view') as AnyEvent;
    next._add(view, 300);
    await next._flush();
    await new Promise((r) => setTimeout(r, 50));
    await next._flush();
    expect(t.delivered().flat().sort()).toEqual([...ids, engagement.id, view.id].sort());
  });

  it('sends a keepalive request when leaving for the next page without storage', async () => {
    const q = setup();
    const ids = q.add(2);
    await q.queue._flush(true, true);
    expect(q.sends).toEqual([expect.objectContaining({ ids, unload: true })]);
  });

  it('does not read the store for orphans while offline, and adopts them once back online', async () => {
    vi.useRealTimers();
    const reads: string[] = [];
    const inner = openStore('adopt-offline');
    const store = ((mode: IDBTransactionMode, fn: (s: IDBObjectStore) => unknown) => (reads.push(mode), inner(mode, fn))) as typeof inner;
    const dead = makeEvent('track', { id: uuidv7(Date.now() - 2000) }) as AnyEvent;
    await writeMany([[dead.id, { e: dead, b: 300, a: 0, o: 'closed' }]], inner);
    vi.spyOn(navigator, 'locks', 'get').mockReturnValue({
      request: async (name: string, _options: unknown, fn: (lock: unknown) => unknown) => fn({ name }),
      query: async () => ({ held: [{ name: 'inkling:tab:me' }], pending: [] }),
    } as unknown as LockManager);
    const online = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    const t = scripted();
    const queue = createQueue(t.transport, DEFAULT_LIMITS, { site: 'test', tab: 'me', alive: Promise.resolve(), report: () => {}, store });
    await queue._flush();
    await new Promise((r) => setTimeout(r, 50));
    expect(reads.filter((m) => m === 'readonly')).toEqual([]);
    online.mockReturnValue(true);
    await queue._flush();
    await new Promise((r) => setTimeout(r, 50));
    await queue._flush();
    expect(t.delivered()).toEqual([[dead.id]]);
  });

  it('sends from memory when its look for orphans stalls in IndexedDB', async () => {
    // Every read and write waits forever, as behind another tab's transaction that never ends.
    const stalled = (() => new Promise(() => {})) as never;
    const t = scripted();
    const queue = createQueue(t.transport, DEFAULT_LIMITS, {
      site: 'test',
      tab: 'me',
      alive: Promise.resolve(),
      report: () => {},
      store: stalled,
    });
    const e = makeEvent('track') as AnyEvent;
    queue._add(e, 300);
    void queue._flush();
    await tick(ADOPT_WAIT_MS - 1);
    expect(t.sends).toHaveLength(0);
    await tick(1);
    expect(t.delivered()).toEqual([[e.id]]);
  });

  it('carries on in memory when IndexedDB fails, and reports it', async () => {
    vi.useRealTimers();
    const broken = (() => Promise.reject(new DOMException('The operation failed', 'InvalidStateError'))) as never;
    const t = scripted();
    const errors: unknown[] = [];
    const queue = createQueue(t.transport, DEFAULT_LIMITS, {
      site: 'test',
      tab: 'me',
      alive: Promise.resolve(),
      report: (e) => errors.push(e),
      store: broken,
    });
    const e = makeEvent('track') as AnyEvent;
    queue._add(e, 300);
    await new Promise((r) => setTimeout(r, 10));
    await queue._flush();
    expect(t.delivered()).toEqual([[e.id]]);
    expect(errors.length).toBeGreaterThan(0);
  });
});
