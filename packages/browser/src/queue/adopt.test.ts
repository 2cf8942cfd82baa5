import type { AnyEvent } from '@inkling/core';
import { uuidv7 } from '@inkling/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeEvent } from '@inkling/core/test';
import { ADOPT_INTERVAL_MS, createAdopt, ORPHAN_AGE_MS } from './adopt.js';
import type { Rec } from './queue.js';
import { getAll, openStore, writeMany } from './store.js';

let names = 0;
const event = (ageMs: number) => makeEvent('track', { id: uuidv7(Date.now() - ageMs) }) as AnyEvent;
const rec = (e: AnyEvent, o: string, h?: 1): Rec => (h ? { e, b: 300, a: 1, o, h } : { e, b: 300, a: 1, o });

/** Web Locks with these tab locks held; `free`: whether the adoption lock is available. */
const locks = (held: string[], free = true) => {
  const request = vi.fn(async (_name: string, _options: unknown, fn: (lock: unknown) => unknown) => fn(free ? {} : null));
  vi.spyOn(navigator, 'locks', 'get').mockReturnValue({
    request,
    query: async () => ({ held: held.map((name) => ({ name })), pending: [] }),
  } as unknown as LockManager);
  return request;
};

afterEach(() => vi.restoreAllMocks());

describe('createAdopt', () => {
  it('adopts the events of closed and handed-over tabs, rewritten as its own, under the adoption lock', async () => {
    const store = openStore(`adopt-${++names}`);
    const [closed, handed, open, mine, known] = [event(5000), event(4000), event(3000), event(2000), event(1000)];
    await writeMany(
      [
        [closed.id, rec(closed, 'closed', 1)],
        [handed.id, rec(handed, '')],
        [open.id, rec(open, 'open')],
        [mine.id, rec(mine, 'me')],
        [known.id, rec(known, '')],
      ],
      store,
    );
    const request = locks(['inkling:tab:open', 'inkling:tab:me']);
    const mem = new Map([[known.id, rec(known, 'me')]]);
    const adopted = await createAdopt('me', 'inkling:adopt:test:http', Promise.resolve(), mem)(store);
    expect(request).toHaveBeenCalledWith('inkling:adopt:test:http', { ifAvailable: true }, expect.any(Function));
    expect(adopted).toEqual([
      [closed.id, { ...rec(closed, 'me'), h: 0 }],
      [handed.id, { ...rec(handed, 'me'), h: 0 }],
    ]);
    const stored = await getAll<Rec>(store);
    expect(stored.map((r) => r.o).sort()).toEqual(['', 'me', 'me', 'me', 'open']);
    expect(mem.size).toBe(1);
  });

  it('adopts nothing while another tab holds the adoption lock, and looks at most every ADOPT_INTERVAL_MS', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const store = openStore(`adopt-${++names}`);
      const closed = event(1000);
      await writeMany([[closed.id, rec(closed, 'closed')]], store);
      locks([], false);
      const adopt = createAdopt('me', 'lock', Promise.resolve(), new Map());
      expect(await adopt(store)).toBeFalsy();
      expect(adopt(store)).toBeUndefined();
      vi.advanceTimersByTime(ADOPT_INTERVAL_MS);
      locks([]);
      expect(await adopt(store)).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('without Web Locks, adopts only events older than ORPHAN_AGE_MS, unless handed over', async () => {
    const store = openStore(`adopt-${++names}`);
    const [old, young, handed] = [event(ORPHAN_AGE_MS + 1000), event(1000), event(500)];
    await writeMany(
      [
        [old.id, rec(old, 'other')],
        [young.id, rec(young, 'other')],
        [handed.id, rec(handed, '')],
      ],
      store,
    );
    vi.spyOn(navigator, 'locks', 'get').mockReturnValue(undefined as unknown as LockManager);
    const adopted = await createAdopt('me', 'lock', Promise.resolve(), new Map())(store);
    expect(adopted?.map(([id]) => id)).toEqual([old.id, handed.id]);
  });
});
