import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import type { SqlDatabase, Statement, StatementResult, Work } from '../sql.js';
import { POSTGRES } from './dialect.js';
import { NO_STATEMENT_TIMEOUT, transaction } from './pool.js';
import type { Queryable } from './pool.js';

/**
 * Runs the store's work on a pool: `single` statement by statement on any pooled connection, `transaction` and
 * `sweep` on one connection in one transaction, run again whole after a deadlock or a lost insert race.
 */
export function createSqlDatabase(pool: Pool): SqlDatabase {
  // Every statement is named, so each connection parses and plans it once: scoring and collecting repeat a few
  // statements for every lead and batch.
  const names = new Map<string, string>();
  const nameOf = (sql: string): string => {
    let name = names.get(sql);
    if (name === undefined) names.set(sql, (name = `inkling_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`));
    return name;
  };
  const execute = async (client: Queryable, { sql, params }: Statement): Promise<StatementResult> => {
    const result = await client.query({ name: nameOf(sql), text: sql, values: params as unknown[] });
    return { rows: result.rows, count: result.rowCount ?? 0 };
  };
  const drive = async <T>(client: Queryable, work: Work<T>): Promise<T> => {
    let step = work.next();
    while (!step.done) step = work.next(await execute(client, step.value));
    return step.value;
  };
  let closed: Promise<void> | undefined;
  return {
    dialect: POSTGRES,
    run: (work, mode) =>
      mode === 'single'
        ? drive(pool, work())
        : transaction(pool, async (client) => {
            if (mode === 'sweep') await client.query(NO_STATEMENT_TIMEOUT);
            return drive(client, work());
          }),
    close: () => (closed ??= pool.end()),
  };
}
