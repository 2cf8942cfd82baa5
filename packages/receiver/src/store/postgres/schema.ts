import type { Pool } from 'pg';
import { InklingError } from '../../errors.js';
import { NO_STATEMENT_TIMEOUT, transaction } from './pool.js';

/**
 * Schema migrations, applied in order on open; `schema_version` holds one row per migration applied. Never edit a
 * shipped migration: add the next one.
 *
 * Ids and keys are `COLLATE "C"` (byte order), as in SQLite: the events of one millisecond are folded in the same
 * order by both stores, so a lead scores the same on either, whatever the database's default collation.
 * Times are Unix ms in `bigint`.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE event_keys (
    site text COLLATE "C" NOT NULL,
    id text COLLATE "C" NOT NULL,
    seen_at bigint NOT NULL,
    PRIMARY KEY (site, id)
  );
  CREATE INDEX event_keys_seen ON event_keys (seen_at);

  CREATE TABLE events (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site text COLLATE "C" NOT NULL,
    id text COLLATE "C" NOT NULL,
    type text NOT NULL,
    visitor text COLLATE "C" NOT NULL,
    ts bigint NOT NULL,
    raw_ts text NOT NULL,
    sent_at text NOT NULL,
    received_at bigint NOT NULL,
    bot boolean NOT NULL,
    clamped boolean NOT NULL,
    body text NOT NULL,
    UNIQUE (site, id)
  );
  CREATE INDEX events_visitor ON events (site, visitor, ts);
  CREATE INDEX events_ts ON events (ts);
  CREATE INDEX events_site_seq ON events (site, seq);

  CREATE TABLE leads (
    id text COLLATE "C" PRIMARY KEY,
    site text COLLATE "C" NOT NULL,
    user_id text COLLATE "C",
    score double precision NOT NULL DEFAULT 0,
    level text NOT NULL DEFAULT 'cold',
    previous text NOT NULL DEFAULT 'cold',
    reasons jsonb NOT NULL DEFAULT '[]',
    model text,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    scored_at bigint,
    dirty boolean NOT NULL DEFAULT true,
    dirty_seq bigint NOT NULL DEFAULT 1,
    scored_seq bigint NOT NULL DEFAULT 0,
    claimed_until bigint
  );
  CREATE UNIQUE INDEX leads_user ON leads (site, user_id) WHERE user_id IS NOT NULL;
  CREATE INDEX leads_dirty ON leads (updated_at) WHERE dirty;
  CREATE INDEX leads_rank ON leads (score DESC, id);

  CREATE TABLE visitors (
    site text COLLATE "C" NOT NULL,
    visitor text COLLATE "C" NOT NULL,
    lead_id text COLLATE "C" NOT NULL,
    linked_at bigint NOT NULL,
    PRIMARY KEY (site, visitor)
  );
  CREATE INDEX visitors_lead ON visitors (lead_id);

  CREATE TABLE lead_notes (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    lead_id text COLLATE "C" NOT NULL,
    at bigint NOT NULL,
    kind text NOT NULL,
    visitor text,
    text text NOT NULL,
    UNIQUE (lead_id, kind, text)
  );

  CREATE TABLE outbox (
    id text COLLATE "C" NOT NULL,
    endpoint text COLLATE "C" NOT NULL,
    type text NOT NULL,
    payload text NOT NULL,
    lead_id text COLLATE "C" NOT NULL,
    site text NOT NULL,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed', 'disabled')),
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at bigint NOT NULL,
    claimed_until bigint,
    last_status integer,
    last_error text,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    delivered_at bigint,
    PRIMARY KEY (id, endpoint)
  );
  CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';
  CREATE INDEX outbox_lead ON outbox (lead_id);
  CREATE INDEX outbox_done ON outbox (updated_at) WHERE status <> 'pending';

  CREATE TABLE endpoints (
    url text PRIMARY KEY,
    disabled_at bigint,
    reason text
  );
  `,
];

/** `name` as a quoted SQL identifier. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the schema up to {@link SCHEMA_VERSION} in one transaction, under an advisory lock keyed on the schema, so
 * receivers starting at once migrate one after the other (the later ones find nothing to do). Throws
 * `schema_too_new` for a database written by a newer receiver, before touching anything.
 */
export async function migrate(pool: Pool, schema: string | undefined): Promise<void> {
  await transaction(pool, async (client) => {
    // Waiting for another receiver's migration, or building an index on a large table, may take long.
    await client.query(NO_STATEMENT_TIMEOUT);
    // Without a configured schema, current_schema() (the first existing schema of search_path) gets the tables.
    await client.query("SELECT pg_advisory_xact_lock(hashtextextended('inkling.schema:' || coalesce($1::text, current_schema()::text, ''), 0))", [schema ?? null]);
    if (schema !== undefined) await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
    const { rows: where } = await client.query<{ schema: string | null }>('SELECT current_schema() AS schema');
    if (where[0]?.schema == null) {
      throw new InklingError('database_no_schema', 500, 'database: no schema of the connection\'s search_path exists; create it, or pass a schema the store may create');
    }
    await client.query('CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const { rows } = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM schema_version');
    const current = rows[0]?.version ?? 0;
    if (current > SCHEMA_VERSION) {
      throw new InklingError(
        'schema_too_new',
        500,
        `database: schema version ${current} was written by a newer @inkling/receiver (this one knows ${SCHEMA_VERSION}); upgrade the receiver`,
      );
    }
    for (let v = current; v < SCHEMA_VERSION; v++) {
      await client.query(MIGRATIONS[v]!);
      await client.query('INSERT INTO schema_version (version) VALUES ($1)', [v + 1]);
    }
  });
}
