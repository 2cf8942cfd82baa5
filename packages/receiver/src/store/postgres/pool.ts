import type { Pool, PoolClient, PoolConfig } from 'pg';
import { InklingError } from '../../errors.js';
import { redactUrl } from '../../lib/redact-url.js';

/** Anything that runs a query: the pool (one statement, its own transaction) or a client inside a transaction. */
export type Queryable = Pick<Pool, 'query'>;

/** The parts of the `pg` module the store uses, passed in so only `index.ts` imports it at run time. */
export interface PgModule {
  Pool: new (config: PoolConfig) => Pool;
  types: { getTypeParser(oid: number, format?: string): (value: string) => unknown };
}

/** OID of `bigint`. Times are Unix ms and sequence numbers, far below 2^53, so a JS number holds them exactly. */
const INT8_OID = 20;

/**
 * Error codes worth a fresh attempt of the whole transaction: a deadlock the server broke (an identity merge and a
 * batch locking the same rows in different orders), a unique violation from a race another receiver won (two
 * devices identifying as one new user on two receivers at once: the retry finds the winner's lead), and a
 * serialization failure (only on a server whose default isolation is stricter than READ COMMITTED).
 */
const RETRYABLE = new Set(['40001', '40P01', '23505']);
const MAX_ATTEMPTS = 5;

/** Where a connection string points, for error messages: `host:port/database`, never the password. */
export function describeTarget(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    return `${url.hostname || 'localhost'}:${url.port || '5432'}${url.pathname}`;
  } catch {
    return redactUrl(connectionString);
  }
}

/**
 * A pool whose `bigint` columns come back as numbers. The parser is set on this pool's clients only: the global
 * `pg.types` belong to the host application, which may use `pg` for its own data.
 */
export function createPool(pg: PgModule, config: PoolConfig): Pool {
  return new pg.Pool({
    ...config,
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === INT8_OID && format !== 'binary' ? Number : pg.types.getTypeParser(oid, format)) as never,
    },
  });
}

/** Turns a failure to reach the server into a stable error naming where it tried, never the password. */
export function toConnectError(error: unknown, connectionString: string): InklingError {
  const code = (error as { code?: unknown } | null)?.code;
  // A system error's code says it (ECONNREFUSED); the server's own refusals say it in words ("password
  // authentication failed for user ..."), which never contain the password.
  const reason = error instanceof Error ? (typeof code === 'string' && code.startsWith('E') ? code : error.message) : String(error);
  return new InklingError(
    'database_unavailable',
    503,
    `database: cannot connect to PostgreSQL at ${describeTarget(connectionString)} (${reason}); check the URL given to --db and that the server is running`,
  );
}

function isRetryable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && RETRYABLE.has((error as { code?: string }).code ?? '');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Lifts the store's statement timeout for the rest of one transaction: for the work that may rightly take long and
 * that no request waits for (migrations, retention sweeps over a backlog), which a timeout would cancel every time.
 */
export const NO_STATEMENT_TIMEOUT = 'SET LOCAL statement_timeout = 0';

/**
 * Runs `work` in one READ COMMITTED transaction and retries the whole of it on a deadlock, serialization failure or
 * lost insert race, with a short random pause so two contenders do not collide again.
 */
export async function transaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      client.release();
      return result;
    } catch (error) {
      // A client whose rollback fails is broken: destroy it rather than hand it to the next caller.
      const broken = await client.query('ROLLBACK').then(
        () => false,
        () => true,
      );
      client.release(broken);
      if (!isRetryable(error) || attempt >= MAX_ATTEMPTS) throw error;
      await sleep(Math.random() * 10 * attempt);
    }
  }
}
