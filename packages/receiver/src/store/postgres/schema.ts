import type { Pool } from 'pg';
import { InklingError } from '../../errors.js';
import { SCHEMA_VERSION, getMigration } from '../schema.js';
import { NO_STATEMENT_TIMEOUT, transaction } from './pool.js';

/** `name` as a quoted SQL identifier. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Brings the schema up to {@link SCHEMA_VERSION} in one transaction (`schema_version` gets a row with the version
 * reached), under an advisory lock keyed on the schema, so receivers starting at once migrate one after the other
 * (the later ones find nothing to do). Throws `schema_too_new` for a database written by a newer receiver, before
 * touching anything.
 */
export async function migrate(pool: Pool, schema: string | undefined): Promise<void> {
  await transaction(pool, async (client) => {
    // Waiting for another receiver's migration, or building an index on a large table, may take long.
    await client.query(NO_STATEMENT_TIMEOUT);
    // Without a configured schema, current_schema() (the first existing schema of search_path) gets the tables.
    await client.query(
      "SELECT pg_advisory_xact_lock(hashtextextended('inkling.schema:' || coalesce($1::text, current_schema()::text, ''), 0))",
      [schema ?? null],
    );
    if (schema !== undefined) await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
    const { rows: where } = await client.query<{ schema: string | null }>('SELECT current_schema() AS schema');
    if (where[0]?.schema == null) {
      throw new InklingError(
        'database_no_schema',
        500,
        "database: no schema of the connection's search_path exists; create it, or pass a schema the store may create",
      );
    }
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const { rows } = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM schema_version');
    const current = rows[0]?.version ?? 0;
    for (const statement of getMigration('postgres', current)) await client.query(statement);
    if (current < SCHEMA_VERSION) await client.query('INSERT INTO schema_version (version) VALUES ($1)', [SCHEMA_VERSION]);
  });
}
