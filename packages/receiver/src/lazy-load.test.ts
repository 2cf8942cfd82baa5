// A receiver given its own store never loads better-sqlite3, so it runs where native modules cannot; nor does importing
// the package load the PostgreSQL and Redis drivers.
import { describe, expect, it, vi } from 'vitest';
import { batchOf, bounce, createClock, post } from '../test/helpers.js';
import type { Store } from './index.js';
import type { InsertBatch } from './internals.js';

const loaded = vi.hoisted(() => ({ sqlite: false, pg: false, ioredis: false }));
vi.mock('better-sqlite3', () => {
  loaded.sqlite = true;
  throw new Error('better-sqlite3 must not be loaded');
});
vi.mock('pg', () => {
  loaded.pg = true;
  throw new Error('pg must not be loaded');
});
vi.mock('ioredis', () => {
  loaded.ioredis = true;
  throw new Error('ioredis must not be loaded');
});

describe('store loading', () => {
  it('a receiver given a store answers without loading better-sqlite3', async () => {
    const { createReceiver } = await import('./index.js');
    const batches: InsertBatch[] = [];
    const store = new Proxy({} as Store, {
      get: (_target, name) =>
        name === 'insertEvents'
          ? async (batch: InsertBatch) => (batches.push(batch), { accepted: batch.events.length, duplicates: 0, leadIds: [] })
          : async () => [],
    });
    const clock = createClock();
    const receiver = createReceiver({ store, background: false, now: clock.now });
    const response = await receiver.fetch(
      new Request('http://receiver.test/collect', { method: 'POST', ...post(batchOf(bounce('v_edge_000001', clock.now()), clock.now())) }),
    );
    expect(response.status).toBe(202);
    expect(batches).toHaveLength(1);
    expect((await receiver.fetch(new Request('http://receiver.test/health'))).status).toBe(200);
    await receiver.close();
    expect(loaded).toEqual({ sqlite: false, pg: false, ioredis: false });
  });
});
