import pg from 'pg';
import { InklingError, OptionsError } from '../../errors.js';
import type { Store } from '../types.js';
import { createStore } from '../create-store.js';
import { createSqlDatabase } from './database.js';
import { createPool, toConnectError } from './pool.js';
import { migrate } from './schema.js';

/** Options of the PostgreSQL store. */
export interface PostgresStoreOptions {
  /**
   * Where the database is: `postgres://user:password@host:5432/database`, with any parameter `pg` understands
   * (`sslmode`, `options=-c search_path=...`).
   */
  connectionString: string;
  /**
   * The schema that holds Inkling's tables, created when missing, for a database shared with other applications.
   * @default the connection's search_path (usually `public`)
   */
  schema?: string;
  /**
   * Connections this receiver keeps open. Each receiver has its own pool, so the server needs
   * `receivers × poolSize` connections (its `max_connections` is 100 by default).
   * @default 10
   */
  poolSize?: number;
  /**
   * How long one statement may run, or wait for a lock, before the server cancels it (SQLSTATE 57014): a stuck
   * statement fails its request instead of holding a pooled connection for ever. Migrations and the background
   * sweeps (retention, dedupe keys, the outbox, stale leads) are exempt: no request waits for them, and a timeout
   * would cancel a large backlog's sweep every time. `0` turns it off.
   * @default 30000
   */
  statementTimeoutMs?: number;
  /** A pooled connection that failed while idle (a server restart): the pool replaces it. @default ignored */
  onError?: (error: unknown) => void;
}

/** The plain names PostgreSQL accepts unquoted, so the schema can be passed in `search_path` as is. */
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** A failure to reach or log in to the server, as opposed to a failing statement. */
function isConnectFailure(error: unknown): boolean {
  if (error instanceof InklingError) return false;
  const code = (error as { code?: unknown }).code;
  // Server errors carry a five-character SQLSTATE: class 08 (connection), 28 (authorization), 3D (no such database).
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return /^(08|28|3D|57P03)/.test(code);
  return true;
}

/**
 * Opens a PostgreSQL store with `pg`: a pool of connections, the schema created or migrated on open (receivers
 * starting at once take turns), one transaction per store method. Several receivers may share the database; see
 * the README's "Scaling out" for what that guarantees.
 */
export async function createPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const { schema } = options;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new OptionsError(
      'schema',
      `expected a plain identifier (letters, digits and _, not starting with a digit), got ${JSON.stringify(schema)}`,
    );
  }
  const statementTimeoutMs = options.statementTimeoutMs ?? 30_000;
  if (!Number.isSafeInteger(statementTimeoutMs) || statementTimeoutMs < 0) {
    throw new OptionsError(
      'statementTimeoutMs',
      `expected a whole number of milliseconds (0 for none), got ${JSON.stringify(options.statementTimeoutMs)}`,
    );
  }
  const pool = createPool(pg, {
    connectionString: options.connectionString,
    max: options.poolSize ?? 10,
    application_name: 'inkling-receiver',
    // A server that never answers fails the open in 10 s instead of hanging the receiver's start.
    connectionTimeoutMillis: 10_000,
    statement_timeout: statementTimeoutMs,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  pool.on('error', options.onError ?? (() => undefined));
  try {
    await migrate(pool, schema);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw isConnectFailure(error) ? toConnectError(error, options.connectionString) : error;
  }
  return createStore(createSqlDatabase(pool));
}
