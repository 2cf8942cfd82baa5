import { importPeer } from '../lib/peer-dependency.js';
import type { PostgresStoreOptions } from './postgres/index.js';
import type { SqliteStoreOptions } from './sqlite/index.js';
import type { Store } from './types.js';

export type { PostgresStoreOptions } from './postgres/index.js';
export type { SqliteStoreOptions } from './sqlite/index.js';

/**
 * Opens the built-in SQLite store. better-sqlite3 is a native module, so it is imported only here, on demand:
 * a receiver given its own `store` never loads it (edge runtimes have no native modules).
 *
 * @example
 * const store = await openSqliteStore({ filename: '.inkling/inkling.db' });
 * const receiver = createReceiver({ store });
 */
export async function openSqliteStore(options: SqliteStoreOptions = {}): Promise<Store> {
  const { createSqliteStore } = await import('./sqlite/index.js');
  return createSqliteStore(options);
}

/**
 * Opens the PostgreSQL store, for several receivers sharing one database. `pg` is imported only here, on demand,
 * as better-sqlite3 is for SQLite: importing the package loads neither. `pg` is an optional peer dependency: without
 * it, this throws an `OptionsError` on `database` that says to install it.
 *
 * @example
 * const store = await openPostgresStore({ connectionString: process.env.DATABASE_URL });
 * const receiver = createReceiver({ store });
 */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const { createPostgresStore } = await importPeer('pg', 'database', () => import('./postgres/index.js'));
  return createPostgresStore(options);
}

/** True when `database` names a PostgreSQL server (`postgres://` or `postgresql://`) rather than a SQLite file. */
export function isPostgresUrl(database: string): boolean {
  return /^postgres(ql)?:\/\//i.test(database);
}

/** Opens the store `database` names: a `postgres://` URL, else a SQLite file (or `:memory:`). */
export function openStore(database: string, options: { onError?: (error: unknown) => void } = {}): Promise<Store> {
  return isPostgresUrl(database) ? openPostgresStore({ connectionString: database, ...options }) : openSqliteStore({ filename: database });
}

const METHODS = [
  'insertEvents',
  'listEvents',
  'countEvents',
  'getLastSeen',
  'claimDirtyLeads',
  'getLeadEvents',
  'saveScore',
  'markStaleLeads',
  'getLeadProfile',
  'getProfileEvents',
  'saveProfile',
  'markModelChanged',
  'listLeads',
  'getLead',
  'getLeadNotes',
  'claimDueMessages',
  'recordAttempt',
  'listMessages',
  'disableEndpoint',
  'enableEndpoint',
  'getDisabledEndpoints',
  'erase',
  'deleteEventsBefore',
  'deleteDedupeKeysBefore',
  'pruneMessages',
  'recordOutcome',
  'listOutcomes',
  'findLeadsByUser',
  'deleteOutcomesBefore',
  'claimDirtyAccounts',
  'getAccountProfiles',
  'saveAccountScore',
  'deferAccount',
  'markStaleAccounts',
  'listAccounts',
  'getAccount',
  'listAccountMembers',
  'getLeadAccount',
  'listAccountMoves',
] as const satisfies readonly Exclude<keyof Store, 'close'>[];

// Fails to compile when a Store method is missing from METHODS.
type Missing = Exclude<keyof Store, (typeof METHODS)[number] | 'close'>;
const complete: Missing extends never ? true : Missing = true;

/**
 * A store that opens on first use: `createReceiver()` stays synchronous while the real store (and its native
 * module) loads in the background. `ready` settles when it is open; a failure to open rejects every call.
 */
export function createLazyStore(open: () => Promise<Store>): Store & { ready: Promise<Store> } {
  let opened: Promise<Store> | undefined;
  const get = () => (opened ??= open());
  const lazy = {
    get ready() {
      return get();
    },
    close: async () => {
      if (opened) await (await opened).close();
    },
  } as Store & { ready: Promise<Store> };
  void complete;
  for (const name of METHODS) {
    (lazy as unknown as Record<string, unknown>)[name] = async (...args: unknown[]) => {
      const store = (await get()) as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
      return store[name]!(...args);
    };
  }
  return lazy;
}
