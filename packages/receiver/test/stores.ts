// The stores every store-dependent test runs against: SQLite always, PostgreSQL on the test server (a fresh schema
// per store or receiver, dropped after). Kept apart from helpers.ts so tests that must not load `pg` stay free of it.
import type { Receiver, ReceiverOptions, Store } from '../src/index.js';
import { openPostgresStore, openSqliteStore } from '../src/index.js';
import { createTestReceiver } from './helpers.js';
import type { TestClock } from './helpers.js';
import { createTestSchema } from './postgres.js';

export interface TestStoreKind {
  name: 'SQLite' | 'PostgreSQL';
  /** Opens a new, empty store; closing it removes what it made. */
  open(): Promise<Store>;
  /** A `database` option naming a new, empty store, and what to clean up once the receiver using it has closed. */
  database(): Promise<{ database: string; cleanup(): Promise<void> }>;
}

export const SQLITE: TestStoreKind = {
  name: 'SQLite',
  open: () => openSqliteStore({ filename: ':memory:' }),
  database: async () => ({ database: ':memory:', cleanup: async () => undefined }),
};

export const POSTGRES: TestStoreKind = {
  name: 'PostgreSQL',
  async open() {
    const schema = await createTestSchema();
    const store = await openPostgresStore({ connectionString: schema.url }).catch(async (error: unknown) => {
      await schema.drop();
      throw error;
    });
    return {
      ...store,
      async close() {
        await store.close();
        await schema.drop();
      },
    };
  },
  async database() {
    const schema = await createTestSchema();
    return { database: schema.url, cleanup: schema.drop };
  },
};

export const STORES: readonly TestStoreKind[] = [SQLITE, POSTGRES];

/**
 * {@link createTestReceiver} on a new store of `kind`, opened through the `database` option as users do. Waits for
 * the store (so a missing server fails here, with its message), and `close()` removes the store afterwards.
 */
export async function startTestReceiver(kind: TestStoreKind, options: ReceiverOptions = {}, clock?: TestClock): Promise<Receiver> {
  const { database, cleanup } = await kind.database();
  const receiver = createTestReceiver({ database, ...options }, clock);
  try {
    await receiver.ready;
  } catch (error) {
    await receiver.close().catch(() => undefined);
    await cleanup();
    throw error;
  }
  const close = receiver.close.bind(receiver);
  return Object.assign(receiver, {
    async close() {
      await close();
      await cleanup();
    },
  });
}
