// The tables are defined once (schema.ts) and rendered per engine. These tests hold the engines to that definition:
// a fresh SQLite and a fresh PostgreSQL database have the same tables, columns, keys, CHECKs and indexes, and a
// database of every older version, once migrated, is the same as a fresh one, with its data kept.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SITE } from '../../test/helpers.js';
import { adminQuery, createTestSchema } from '../../test/postgres.js';
import { openPostgresStore, openSqliteStore } from './open.js';
import { SCHEMA_VERSION } from './schema.js';

/** What a database's schema is made of, engine words aside: per table its columns, keys, CHECKs and indexes. */
type Shape = Record<string, { columns: string[]; keys: string[]; checks: string[]; indexes: string[] }>;

/** An index definition in words both engines' catalogs reduce to: no schema, quotes, casts or parentheses. */
const normalize = (sql: string, schema = '') =>
  sql
    .replaceAll(`${schema}.`, '')
    .replace(/ USING btree/i, '')
    .replace(/::\w+/g, '')
    .replace(/[()"]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();

function sqliteShape(db: Database.Database): Shape {
  const shape: Shape = {};
  const tables = db
    .prepare<[], { name: string; sql: string }>("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .all();
  for (const { name, sql } of tables) {
    const info = db.prepare<[], { name: string; notnull: number; pk: number }>(`PRAGMA table_info(${name})`).all();
    const pk = info
      .filter((c) => c.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((c) => c.name);
    const unique = db
      .prepare<[], { name: string; origin: string }>(`PRAGMA index_list(${name})`)
      .all()
      .filter((i) => i.origin === 'u')
      .map(
        (i) =>
          `unique ${db
            .prepare<[], { name: string }>(`PRAGMA index_info(${i.name})`)
            .all()
            .map((c) => c.name)
            .join(', ')}`,
      );
    shape[name] = {
      columns: info.map((c) => `${c.name}${c.notnull || c.pk ? ' not null' : ''}`).sort(),
      keys: [`primary key ${pk.join(', ')}`, ...unique].sort(),
      checks: [...sql.matchAll(/CHECK \((\w+) IN/g)].map((m) => m[1]!).sort(),
      indexes: db
        .prepare<[string], { sql: string }>("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL")
        .all(name)
        .map((i) => normalize(i.sql))
        .sort(),
    };
  }
  return shape;
}

async function postgresShape(schema: string): Promise<Shape> {
  const shape: Shape = {};
  const tables = await adminQuery<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1 AND table_name <> 'schema_version' ORDER BY 1",
    [schema],
  );
  for (const { name } of tables) {
    const columns = await adminQuery<{ name: string; nullable: string }>(
      'SELECT column_name AS name, is_nullable AS nullable FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2',
      [schema, name],
    );
    const constraints = await adminQuery<{ name: string; type: string; def: string }>(
      'SELECT conname AS name, contype AS type, pg_get_constraintdef(c.oid) AS def FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = $1 AND t.relname = $2',
      [schema, name],
    );
    const indexes = await adminQuery<{ def: string }>(
      'SELECT indexdef AS def FROM pg_indexes WHERE schemaname = $1 AND tablename = $2 AND indexname NOT IN (SELECT conname FROM pg_constraint)',
      [schema, name],
    );
    shape[name] = {
      columns: columns.map((c) => `${c.name}${c.nullable === 'NO' ? ' not null' : ''}`).sort(),
      keys: constraints
        .filter((c) => c.type === 'p' || c.type === 'u')
        .map((c) => normalize(c.def))
        .sort(),
      checks: constraints
        .filter((c) => c.type === 'c')
        .map((c) => /\((\w+) =/.exec(c.def)![1]!)
        .sort(),
      indexes: indexes.map((i) => normalize(i.def, schema)).sort(),
    };
  }
  return shape;
}

describe('store schema', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const tempFile = () => {
    const dir = mkdtempSync(join(tmpdir(), 'inkling-schema-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return join(dir, 'inkling.db');
  };
  const readSqlite = (filename: string) => {
    const db = new Database(filename, { readonly: true });
    try {
      return sqliteShape(db);
    } finally {
      db.close();
    }
  };
  const freshSqlite = async () => {
    const filename = tempFile();
    await (await openSqliteStore({ filename })).close();
    return readSqlite(filename);
  };
  const freshPostgres = async () => {
    const schema = await createTestSchema();
    cleanups.push(schema.drop);
    await (await openPostgresStore({ connectionString: schema.url })).close();
    return postgresShape(schema.name);
  };

  it('gives SQLite and PostgreSQL the same tables, columns, keys, CHECKs and indexes', async () => {
    const [sqlite, postgres] = await Promise.all([freshSqlite(), freshPostgres()]);
    expect(Object.keys(sqlite)).toEqual([
      'account_members',
      'account_moves',
      'accounts',
      'endpoints',
      'event_keys',
      'events',
      'lead_notes',
      'leads',
      'outbox',
      'outcomes',
      'visitors',
    ]);
    expect(sqlite['outbox']?.checks).toEqual(['status']);
    expect(sqlite['accounts']?.checks).toEqual(['source']);
    expect(sqlite['account_members']?.checks).toEqual(['source']);
    expect(sqlite['outcomes']?.checks).toEqual(['outcome', 'source']);
    expect(sqlite['leads']?.columns).toContain('scored_seq not null');
    expect(sqlite['leads']?.columns).toContain('topics not null');
    expect(sqlite['leads']?.indexes).toEqual([
      'create index leads_dirty on leads updated_at where dirty',
      'create index leads_rank on leads score desc, id',
      'create unique index leads_user on leads site, user_id where user_id is not null',
    ]);
    expect(sqlite).toEqual(postgres);
  });

  it('migrates a version 1 SQLite file to the schema of a fresh one, keeping its rows and the order of its notes', async () => {
    const filename = tempFile();
    const old = new Database(filename);
    old.exec(V1_SQLITE);
    old.exec(`
      INSERT INTO leads (id, site, user_id, created_at, updated_at, dirty, dirty_seq) VALUES ('lead_1', '${SITE}', 'ada', 1, 1, 0, 3);
      INSERT INTO visitors VALUES ('${SITE}', 'v_laptop_0001', 'lead_1', 1);
      INSERT INTO lead_notes VALUES ('lead_1', 5, 'identified', 'v_laptop_0001', 'second'), ('lead_1', 5, 'linked', 'v_phone_00001', 'third'), ('lead_1', 1, 'linked', 'v_tablet_0001', 'first');
      INSERT INTO outbox (id, endpoint, type, payload, lead_id, site, next_attempt_at, created_at, updated_at) VALUES ('msg_1', 'https://hooks.example.com/a', 'lead.warm', '{}', 'lead_1', '${SITE}', 1, 1, 1);
    `);
    old.pragma('user_version = 1');
    old.close();
    expect(readSqlite(filename)).not.toEqual(await freshSqlite());

    const store = await openSqliteStore({ filename });
    expect((await store.getLeadNotes('lead_1')).map((n) => n.text)).toEqual(['first', 'second', 'third']);
    expect(await store.getLead('lead_1')).toMatchObject({ userId: 'ada', visitors: ['v_laptop_0001'], notesDropped: 0 });
    expect(await store.listMessages()).toMatchObject([{ id: 'msg_1', status: 'pending' }]);
    // The score guard starts from nothing saved: a claim's save applies.
    expect((await store.getLead('lead_1'))?.topics).toEqual([]);
    await store.saveScore({
      leadId: 'lead_1',
      dirtySeq: 3,
      score: 42,
      level: 'cold',
      reasons: [],
      topics: [{ name: 'payroll', reads: 1, minutes: 3, score: 8 }],
      model: 'm',
      scoredAt: 2,
      messages: [],
      from: 'cold',
    });
    expect(await store.getLead('lead_1')).toMatchObject({ score: 42, topics: [{ name: 'payroll', reads: 1, minutes: 3, score: 8 }] });
    await store.close();

    const migrated = new Database(filename, { readonly: true });
    expect(migrated.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    migrated.close();
    expect(readSqlite(filename)).toEqual(await freshSqlite());
  });

  it('migrates a version 1 PostgreSQL schema to the schema of a fresh one', async () => {
    const schema = await createTestSchema();
    cleanups.push(schema.drop);
    await adminQuery(
      `SET search_path = ${schema.name}; ${V1_POSTGRES}; CREATE TABLE schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now()); INSERT INTO schema_version (version) VALUES (1); RESET search_path`,
    );
    await (await openPostgresStore({ connectionString: schema.url })).close();
    expect(await adminQuery(`SELECT version FROM ${schema.name}.schema_version ORDER BY version`)).toEqual([
      { version: 1 },
      { version: SCHEMA_VERSION },
    ]);
    expect(await postgresShape(schema.name)).toEqual(await freshPostgres());
  });

  it('refuses a SQLite file written by a newer receiver, saying to upgrade', async () => {
    const filename = tempFile();
    const db = new Database(filename);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    await expect(openSqliteStore({ filename })).rejects.toMatchObject({
      code: 'schema_too_new',
      message: `database: schema version ${SCHEMA_VERSION + 1} was written by a newer @inkling/receiver (this one knows ${SCHEMA_VERSION}); upgrade the receiver`,
    });
  });
});

// The schemas version 1 shipped, as the receiver created them: the starting points of the migration tests.
const V1_SQLITE = `
  CREATE TABLE event_keys (
    site TEXT NOT NULL,
    id TEXT NOT NULL,
    seen_at INTEGER NOT NULL,
    PRIMARY KEY (site, id)
  ) WITHOUT ROWID;
  CREATE INDEX event_keys_seen ON event_keys (seen_at);

  CREATE TABLE events (
    seq INTEGER PRIMARY KEY,
    site TEXT NOT NULL,
    id TEXT NOT NULL,
    type TEXT NOT NULL,
    visitor TEXT NOT NULL,
    ts INTEGER NOT NULL,
    raw_ts TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    bot INTEGER NOT NULL,
    clamped INTEGER NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (site, id)
  );
  CREATE INDEX events_visitor ON events (site, visitor, ts);
  CREATE INDEX events_ts ON events (ts);

  CREATE TABLE leads (
    id TEXT PRIMARY KEY,
    site TEXT NOT NULL,
    user_id TEXT,
    score REAL NOT NULL DEFAULT 0,
    level TEXT NOT NULL DEFAULT 'cold',
    previous TEXT NOT NULL DEFAULT 'cold',
    reasons TEXT NOT NULL DEFAULT '[]',
    model TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    scored_at INTEGER,
    dirty INTEGER NOT NULL DEFAULT 1,
    dirty_seq INTEGER NOT NULL DEFAULT 1,
    claimed_until INTEGER
  );
  CREATE UNIQUE INDEX leads_user ON leads (site, user_id) WHERE user_id IS NOT NULL;
  CREATE INDEX leads_dirty ON leads (dirty) WHERE dirty = 1;
  CREATE INDEX leads_rank ON leads (score DESC, id);

  CREATE TABLE visitors (
    site TEXT NOT NULL,
    visitor TEXT NOT NULL,
    lead_id TEXT NOT NULL,
    linked_at INTEGER NOT NULL,
    PRIMARY KEY (site, visitor)
  ) WITHOUT ROWID;
  CREATE INDEX visitors_lead ON visitors (lead_id);

  CREATE TABLE lead_notes (
    lead_id TEXT NOT NULL,
    at INTEGER NOT NULL,
    kind TEXT NOT NULL,
    visitor TEXT,
    text TEXT NOT NULL,
    UNIQUE (lead_id, kind, text)
  );

  CREATE TABLE outbox (
    id TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    type TEXT NOT NULL,
    payload TEXT NOT NULL,
    lead_id TEXT NOT NULL,
    site TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    claimed_until INTEGER,
    last_status INTEGER,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    delivered_at INTEGER,
    PRIMARY KEY (id, endpoint)
  );
  CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
  CREATE INDEX outbox_lead ON outbox (lead_id);

  CREATE TABLE endpoints (
    url TEXT PRIMARY KEY,
    disabled_at INTEGER,
    reason TEXT
  );
`;

const V1_POSTGRES = `
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
`;
