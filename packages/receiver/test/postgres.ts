// The PostgreSQL server the tests use, and a fresh schema per store they open, dropped when it closes. A missing
// server fails the tests that need it with the fix in the message: never a silent skip.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The server the tests use: INKLING_TEST_PG, else the one `.ci/run` starts. */
export const TEST_PG_URL = process.env['INKLING_TEST_PG'] ?? 'postgres://postgres@127.0.0.1:5432/test';

let admin: pg.Pool | undefined;
let reachable: Promise<void> | undefined;

function where(): string {
  const url = new URL(TEST_PG_URL);
  return `${url.hostname}:${url.port || '5432'}`;
}

/** Throws, with how to start the server, unless the test server answers. Checked once per test file. */
export function checkPostgres(): Promise<void> {
  admin ??= new pg.Pool({ connectionString: TEST_PG_URL, max: 2, allowExitOnIdle: true, connectionTimeoutMillis: 3000 });
  return (reachable ??= admin.query('SELECT 1').then(
    () => undefined,
    (error: Error & { code?: string }) => {
      throw new Error(
        `PostgreSQL is not reachable at ${where()} (${error.code ?? error.message}), and the PostgreSQL store tests need it: ` +
          'start it with `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` (.ci/run does), ' +
          'or set INKLING_TEST_PG to its URL (postgres://user@host:port/database).',
      );
    },
  ));
}

/** A new, empty schema on the test server; `drop()` removes it with everything in it. */
export async function createTestSchema(): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  await checkPostgres();
  const name = `test_${randomBytes(6).toString('hex')}`;
  await admin!.query(`CREATE SCHEMA ${name}`);
  const url = new URL(TEST_PG_URL);
  url.searchParams.set('options', `-c search_path=${name}`);
  return { name, url: url.href, drop: async () => void (await admin!.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`)) };
}

/** Runs one statement on the test server, outside any store (to inspect or tamper with a schema). */
export async function adminQuery<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
  await checkPostgres();
  return (await admin!.query<R>(sql, params)).rows;
}
