// The store's tables, defined once and rendered for each engine, and the migrations that bring an older database up
// to them. A fresh database is created from the definition; a test opens a database of every older version, migrates
// it, and compares it with a fresh one column by column and index by index, on both engines.
import { InklingError } from '../errors.js';

/**
 * Column types, by meaning. `key`: an id compared byte by byte (PostgreSQL `COLLATE "C"`, SQLite's default), so
 * the events of one millisecond are folded in the same order by both stores. `bigint`: Unix ms and sequence numbers.
 * `flag`: a boolean (SQLite keeps 0 / 1). `json`: a JSON value (SQLite keeps its text). `serial`: an increasing
 * integer primary key, given by the database.
 */
export type ColumnType = 'key' | 'text' | 'bigint' | 'integer' | 'real' | 'flag' | 'json' | 'serial';

export interface Column {
  name: string;
  type: ColumnType;
  nullable?: boolean;
  /** A SQL literal both engines parse. */
  default?: string;
  /** The only values allowed (a CHECK). */
  oneOf?: readonly string[];
  /** The property of the API type this column maps to (leads: {@link Lead}); internal columns have none. */
  field?: string;
}

export interface Index {
  name: string;
  /** Column list, as SQL (`score DESC, id`). */
  on: string;
  unique?: boolean;
  /** A partial index's condition, as SQL both engines parse. */
  where?: string;
}

export interface Table {
  name: string;
  columns: readonly Column[];
  primaryKey?: readonly string[];
  unique?: readonly (readonly string[])[];
  indexes?: readonly Index[];
  /** Stored clustered on the primary key where the engine can (SQLite `WITHOUT ROWID`): a storage choice only. */
  clustered?: boolean;
}

/** The leads table; its columns with a `field` are the {@link Lead} the store returns. */
export const LEADS: Table = {
  name: 'leads',
  columns: [
    { name: 'id', type: 'key', field: 'id' },
    { name: 'site', type: 'key', field: 'site' },
    { name: 'user_id', type: 'key', nullable: true, field: 'userId' },
    { name: 'score', type: 'real', default: '0', field: 'score' },
    { name: 'level', type: 'text', default: "'cold'", field: 'level' },
    { name: 'previous', type: 'text', default: "'cold'", field: 'previous' },
    { name: 'reasons', type: 'json', default: "'[]'", field: 'reasons' },
    // Saved with the score: the lead API, the dashboard's topic filter and routing read the same list.
    { name: 'topics', type: 'json', default: "'[]'", field: 'topics' },
    { name: 'model', type: 'text', nullable: true, field: 'model' },
    { name: 'created_at', type: 'bigint', field: 'createdAt' },
    { name: 'updated_at', type: 'bigint', field: 'updatedAt' },
    { name: 'scored_at', type: 'bigint', nullable: true, field: 'scoredAt' },
    { name: 'dirty', type: 'flag', default: 'true' },
    // Bumped by every change that needs a re-score; the claim carries it, and a save records it in scored_seq.
    { name: 'dirty_seq', type: 'bigint', default: '1' },
    { name: 'scored_seq', type: 'bigint', default: '0' },
    { name: 'claimed_until', type: 'bigint', nullable: true },
    { name: 'notes_dropped', type: 'integer', default: '0', field: 'notesDropped' },
    // The profile snapshot scoring folds new events into (see profiles.ts): core's Profile as JSON, the model it was
    // built with, the highest event seq folded, the visitor a rebuild has reached (NULL once complete), the seqs of
    // events stored since and not folded yet, and a generation bumped by every change made outside scoring.
    { name: 'profile', type: 'json', nullable: true },
    { name: 'profile_model', type: 'text', nullable: true },
    { name: 'profile_seq', type: 'bigint', default: '0' },
    { name: 'profile_visitor', type: 'key', nullable: true },
    { name: 'profile_pending', type: 'json', default: "'[]'" },
    { name: 'profile_gen', type: 'bigint', default: '0' },
  ],
  primaryKey: ['id'],
  indexes: [
    { name: 'leads_user', on: 'site, user_id', unique: true, where: 'user_id IS NOT NULL' },
    { name: 'leads_dirty', on: 'updated_at', where: 'dirty' },
    { name: 'leads_rank', on: 'score DESC, id' },
  ],
};

/**
 * What became of a lead, as a CRM or a person reported it: one row per lead, the latest report wins. Calibration
 * reads it to label each lead and to cut its events off at `at`; `forget` and retention delete it like the events.
 */
export const OUTCOMES: Table = {
  name: 'outcomes',
  columns: [
    { name: 'lead_id', type: 'key' },
    { name: 'site', type: 'key' },
    { name: 'outcome', type: 'text', oneOf: ['converted', 'lost'] },
    { name: 'at', type: 'bigint' },
    { name: 'value', type: 'real', nullable: true },
    { name: 'note', type: 'text', nullable: true },
    { name: 'source', type: 'text', oneOf: ['api', 'import'] },
    { name: 'recorded_at', type: 'bigint' },
  ],
  primaryKey: ['lead_id'],
  indexes: [{ name: 'outcomes_at', on: 'at' }],
};

/**
 * Accounts: several people of one company researching together. One row per account key of a site: a `group` id as
 * given, or `domain:<domain>` from an identified lead's e-mail address. Scored from its members like a lead from its
 * events, with the same dirty / claim / guarded-save columns; its columns with a `field` are the {@link Account}.
 */
export const ACCOUNTS: Table = {
  name: 'accounts',
  columns: [
    { name: 'id', type: 'key', field: 'id' },
    { name: 'site', type: 'key', field: 'site' },
    { name: 'key', type: 'key', field: 'key' },
    { name: 'source', type: 'text', oneOf: ['group', 'domain'], field: 'source' },
    // The latest `group` traits (scrubbed and bounded by the browser and the wire format); NULL for a domain account.
    { name: 'traits', type: 'json', nullable: true, field: 'traits' },
    { name: 'score', type: 'real', default: '0', field: 'score' },
    { name: 'level', type: 'text', default: "'cold'", field: 'level' },
    { name: 'previous', type: 'text', default: "'cold'", field: 'previous' },
    { name: 'reasons', type: 'json', default: "'[]'", field: 'reasons' },
    { name: 'topics', type: 'json', default: "'[]'", field: 'topics' },
    { name: 'people', type: 'integer', default: '0', field: 'people' },
    { name: 'model', type: 'text', nullable: true, field: 'model' },
    { name: 'created_at', type: 'bigint', field: 'createdAt' },
    { name: 'updated_at', type: 'bigint', field: 'updatedAt' },
    { name: 'scored_at', type: 'bigint', nullable: true, field: 'scoredAt' },
    { name: 'dirty', type: 'flag', default: 'true' },
    { name: 'dirty_seq', type: 'bigint', default: '1' },
    { name: 'scored_seq', type: 'bigint', default: '0' },
    { name: 'claimed_until', type: 'bigint', nullable: true },
  ],
  primaryKey: ['id'],
  unique: [['site', 'key']],
  indexes: [
    { name: 'accounts_dirty', on: 'updated_at', where: 'dirty' },
    { name: 'accounts_rank', on: 'score DESC, id' },
  ],
};

/** Which account a lead belongs to: at most one at a time (the primary key), and how it got there. */
export const ACCOUNT_MEMBERS: Table = {
  name: 'account_members',
  columns: [
    { name: 'lead_id', type: 'key' },
    { name: 'account_id', type: 'key' },
    { name: 'site', type: 'key' },
    { name: 'source', type: 'text', oneOf: ['group', 'domain'] },
    { name: 'joined_at', type: 'bigint' },
    // Moves of this lead dropped because it had MAX_MOVES_PER_LEAD newer ones.
    { name: 'moves_dropped', type: 'integer', default: '0' },
  ],
  primaryKey: ['lead_id'],
  indexes: [{ name: 'account_members_account', on: 'account_id' }],
};

/** Every move of a lead between accounts: from (NULL on joining a first one), to, when and why. */
export const ACCOUNT_MOVES: Table = {
  name: 'account_moves',
  columns: [
    { name: 'seq', type: 'serial' },
    { name: 'site', type: 'key' },
    { name: 'lead_id', type: 'key' },
    { name: 'from_account', type: 'key', nullable: true },
    { name: 'to_account', type: 'key' },
    { name: 'source', type: 'text', oneOf: ['group', 'domain'] },
    { name: 'at', type: 'bigint' },
  ],
  indexes: [
    { name: 'account_moves_lead', on: 'lead_id, seq' },
    { name: 'account_moves_to', on: 'to_account, seq' },
    { name: 'account_moves_from', on: 'from_account, seq' },
  ],
};

export const TABLES: readonly Table[] = [
  {
    name: 'event_keys',
    columns: [
      { name: 'site', type: 'key' },
      { name: 'id', type: 'key' },
      { name: 'seen_at', type: 'bigint' },
    ],
    primaryKey: ['site', 'id'],
    clustered: true,
    indexes: [{ name: 'event_keys_seen', on: 'seen_at' }],
  },
  {
    name: 'events',
    columns: [
      { name: 'seq', type: 'serial' },
      { name: 'site', type: 'key' },
      { name: 'id', type: 'key' },
      { name: 'type', type: 'text' },
      { name: 'visitor', type: 'key' },
      { name: 'ts', type: 'bigint' },
      { name: 'raw_ts', type: 'text' },
      { name: 'sent_at', type: 'text' },
      { name: 'received_at', type: 'bigint' },
      { name: 'bot', type: 'flag' },
      { name: 'clamped', type: 'flag' },
      { name: 'body', type: 'text' },
    ],
    unique: [['site', 'id']],
    indexes: [
      { name: 'events_visitor', on: 'site, visitor, ts' },
      { name: 'events_ts', on: 'ts' },
      { name: 'events_site_seq', on: 'site, seq' },
      { name: 'events_visitor_seq', on: 'site, visitor, seq' },
    ],
  },
  LEADS,
  {
    name: 'visitors',
    columns: [
      { name: 'site', type: 'key' },
      { name: 'visitor', type: 'key' },
      { name: 'lead_id', type: 'key' },
      { name: 'linked_at', type: 'bigint' },
    ],
    primaryKey: ['site', 'visitor'],
    clustered: true,
    indexes: [{ name: 'visitors_lead', on: 'lead_id' }],
  },
  {
    name: 'lead_notes',
    columns: [
      { name: 'seq', type: 'serial' },
      { name: 'lead_id', type: 'key' },
      { name: 'at', type: 'bigint' },
      { name: 'kind', type: 'text' },
      { name: 'visitor', type: 'text', nullable: true },
      { name: 'text', type: 'text' },
    ],
    unique: [['lead_id', 'kind', 'text']],
    indexes: [{ name: 'lead_notes_lead', on: 'lead_id, at, seq' }],
  },
  {
    name: 'outbox',
    columns: [
      { name: 'id', type: 'key' },
      { name: 'endpoint', type: 'key' },
      { name: 'type', type: 'text' },
      { name: 'payload', type: 'text' },
      { name: 'lead_id', type: 'key' },
      { name: 'site', type: 'text' },
      { name: 'status', type: 'text', default: "'pending'", oneOf: ['pending', 'delivered', 'failed', 'disabled'] },
      { name: 'attempts', type: 'integer', default: '0' },
      { name: 'next_attempt_at', type: 'bigint' },
      { name: 'claimed_until', type: 'bigint', nullable: true },
      { name: 'last_status', type: 'integer', nullable: true },
      { name: 'last_error', type: 'text', nullable: true },
      { name: 'created_at', type: 'bigint' },
      { name: 'updated_at', type: 'bigint' },
      { name: 'delivered_at', type: 'bigint', nullable: true },
    ],
    primaryKey: ['id', 'endpoint'],
    indexes: [
      { name: 'outbox_due', on: 'next_attempt_at', where: "status = 'pending'" },
      { name: 'outbox_lead', on: 'lead_id' },
      { name: 'outbox_done', on: 'updated_at', where: "status <> 'pending'" },
    ],
  },
  {
    name: 'endpoints',
    columns: [
      { name: 'url', type: 'text' },
      { name: 'disabled_at', type: 'bigint', nullable: true },
      { name: 'reason', type: 'text', nullable: true },
    ],
    primaryKey: ['url'],
  },
  OUTCOMES,
  ACCOUNTS,
  ACCOUNT_MEMBERS,
  ACCOUNT_MOVES,
];

type Engine = 'sqlite' | 'postgres';

const TYPES: Record<Engine, Record<ColumnType, string>> = {
  sqlite: {
    key: 'TEXT',
    text: 'TEXT',
    bigint: 'INTEGER',
    integer: 'INTEGER',
    real: 'REAL',
    flag: 'INTEGER',
    json: 'TEXT',
    serial: 'INTEGER PRIMARY KEY',
  },
  postgres: {
    key: 'text COLLATE "C"',
    text: 'text',
    bigint: 'bigint',
    integer: 'integer',
    real: 'double precision',
    flag: 'boolean',
    json: 'jsonb',
    serial: 'bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY',
  },
};

function renderColumn(engine: Engine, column: Column): string {
  let sql = `${column.name} ${TYPES[engine][column.type]}`;
  if (column.type !== 'serial' && !column.nullable) sql += ' NOT NULL';
  if (column.default !== undefined) sql += ` DEFAULT ${column.default}`;
  if (column.oneOf) sql += ` CHECK (${column.name} IN (${column.oneOf.map((v) => `'${v}'`).join(', ')}))`;
  return sql;
}

/** `CREATE TABLE` and `CREATE INDEX` statements of one table for one engine. */
export function renderTable(engine: Engine, table: Table, name = table.name): string[] {
  const parts = table.columns.map((c) => renderColumn(engine, c));
  if (table.primaryKey) parts.push(`PRIMARY KEY (${table.primaryKey.join(', ')})`);
  for (const unique of table.unique ?? []) parts.push(`UNIQUE (${unique.join(', ')})`);
  const options = engine === 'sqlite' && table.clustered ? ' WITHOUT ROWID' : '';
  return [
    `CREATE TABLE ${name} (\n  ${parts.join(',\n  ')}\n)${options}`,
    ...(table.indexes ?? []).map((index) => renderIndex(table.name, index)),
  ];
}

/** One `CREATE INDEX` statement; the same on both engines. */
export function renderIndex(table: string, index: Index): string {
  return `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${index.name} ON ${table} (${index.on})${index.where ? ` WHERE ${index.where}` : ''}`;
}

/** The whole schema for one engine, as statements. */
export function renderSchema(engine: Engine): string[] {
  return TABLES.flatMap((table) => renderTable(engine, table));
}

/**
 * Migrations from each older version, per engine: `MIGRATIONS[v - 1]` takes a database from version `v` to `v + 1`.
 * Never edit a shipped migration: add the next one, and change {@link TABLES} to match.
 *
 * Version 2 brings SQLite up to the guards PostgreSQL had from the start (the `scored_seq` score guard, the outbox
 * status CHECK, a `seq` that orders notes stably, the same indexes), and on both counts the notes a lead dropped.
 * SQLite alters a CHECK or a primary key only by copying the table.
 *
 * Version 3 adds the outcomes table.
 *
 * Version 4 adds each lead's topics, saved with its score (`[]` until the lead is next scored).
 *
 * Version 5 adds each lead's profile snapshot, so scoring folds only the events stored since (none is built here:
 * a lead without one is rebuilt by the scoring worker, in slices), and the index a rebuild pages through.
 *
 * Version 6 adds accounts, their members and the moves between them (none is derived here: a lead joins an account
 * with its next `group` event or identified e-mail address).
 */
const MIGRATIONS: readonly Record<Engine, readonly string[]>[] = [
  {
    sqlite: [
      'ALTER TABLE leads ADD COLUMN scored_seq INTEGER NOT NULL DEFAULT 0',
      'ALTER TABLE leads ADD COLUMN notes_dropped INTEGER NOT NULL DEFAULT 0',
      'DROP INDEX leads_dirty',
      'CREATE INDEX leads_dirty ON leads (updated_at) WHERE dirty',
      'CREATE INDEX events_site_seq ON events (site, seq)',
      `CREATE TABLE lead_notes_v2 (
        seq INTEGER PRIMARY KEY, lead_id TEXT NOT NULL, at INTEGER NOT NULL, kind TEXT NOT NULL, visitor TEXT, text TEXT NOT NULL, UNIQUE (lead_id, kind, text))`,
      'INSERT INTO lead_notes_v2 (seq, lead_id, at, kind, visitor, text) SELECT rowid, lead_id, at, kind, visitor, text FROM lead_notes',
      'DROP TABLE lead_notes',
      'ALTER TABLE lead_notes_v2 RENAME TO lead_notes',
      'CREATE INDEX lead_notes_lead ON lead_notes (lead_id, at, seq)',
      `CREATE TABLE outbox_v2 (
        id TEXT NOT NULL, endpoint TEXT NOT NULL, type TEXT NOT NULL, payload TEXT NOT NULL, lead_id TEXT NOT NULL, site TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed', 'disabled')),
        attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL, claimed_until INTEGER, last_status INTEGER, last_error TEXT,
        created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, delivered_at INTEGER, PRIMARY KEY (id, endpoint))`,
      'INSERT INTO outbox_v2 SELECT * FROM outbox',
      'DROP TABLE outbox',
      'ALTER TABLE outbox_v2 RENAME TO outbox',
      "CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending'",
      'CREATE INDEX outbox_lead ON outbox (lead_id)',
      "CREATE INDEX outbox_done ON outbox (updated_at) WHERE status <> 'pending'",
    ],
    postgres: [
      'ALTER TABLE leads ADD COLUMN notes_dropped integer NOT NULL DEFAULT 0',
      'CREATE INDEX lead_notes_lead ON lead_notes (lead_id, at, seq)',
    ],
  },
  {
    sqlite: [
      `CREATE TABLE outcomes (
        lead_id TEXT NOT NULL, site TEXT NOT NULL, outcome TEXT NOT NULL CHECK (outcome IN ('converted', 'lost')), at INTEGER NOT NULL, value REAL, note TEXT,
        source TEXT NOT NULL CHECK (source IN ('api', 'import')), recorded_at INTEGER NOT NULL, PRIMARY KEY (lead_id))`,
      'CREATE INDEX outcomes_at ON outcomes (at)',
    ],
    postgres: [
      `CREATE TABLE outcomes (
        lead_id text COLLATE "C" NOT NULL, site text COLLATE "C" NOT NULL, outcome text NOT NULL CHECK (outcome IN ('converted', 'lost')), at bigint NOT NULL,
        value double precision, note text, source text NOT NULL CHECK (source IN ('api', 'import')), recorded_at bigint NOT NULL, PRIMARY KEY (lead_id))`,
      'CREATE INDEX outcomes_at ON outcomes (at)',
    ],
  },
  {
    sqlite: ["ALTER TABLE leads ADD COLUMN topics TEXT NOT NULL DEFAULT '[]'"],
    postgres: ["ALTER TABLE leads ADD COLUMN topics jsonb NOT NULL DEFAULT '[]'"],
  },
  {
    sqlite: [
      'ALTER TABLE leads ADD COLUMN profile TEXT',
      'ALTER TABLE leads ADD COLUMN profile_model TEXT',
      'ALTER TABLE leads ADD COLUMN profile_seq INTEGER NOT NULL DEFAULT 0',
      'ALTER TABLE leads ADD COLUMN profile_visitor TEXT',
      "ALTER TABLE leads ADD COLUMN profile_pending TEXT NOT NULL DEFAULT '[]'",
      'ALTER TABLE leads ADD COLUMN profile_gen INTEGER NOT NULL DEFAULT 0',
      'CREATE INDEX events_visitor_seq ON events (site, visitor, seq)',
    ],
    postgres: [
      'ALTER TABLE leads ADD COLUMN profile jsonb',
      'ALTER TABLE leads ADD COLUMN profile_model text',
      'ALTER TABLE leads ADD COLUMN profile_seq bigint NOT NULL DEFAULT 0',
      'ALTER TABLE leads ADD COLUMN profile_visitor text COLLATE "C"',
      "ALTER TABLE leads ADD COLUMN profile_pending jsonb NOT NULL DEFAULT '[]'",
      'ALTER TABLE leads ADD COLUMN profile_gen bigint NOT NULL DEFAULT 0',
      'CREATE INDEX events_visitor_seq ON events (site, visitor, seq)',
    ],
  },
  {
    sqlite: [
      `CREATE TABLE accounts (
        id TEXT NOT NULL, site TEXT NOT NULL, key TEXT NOT NULL, source TEXT NOT NULL CHECK (source IN ('group', 'domain')), traits TEXT,
        score REAL NOT NULL DEFAULT 0, level TEXT NOT NULL DEFAULT 'cold', previous TEXT NOT NULL DEFAULT 'cold', reasons TEXT NOT NULL DEFAULT '[]',
        topics TEXT NOT NULL DEFAULT '[]', people INTEGER NOT NULL DEFAULT 0, model TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
        scored_at INTEGER, dirty INTEGER NOT NULL DEFAULT true, dirty_seq INTEGER NOT NULL DEFAULT 1, scored_seq INTEGER NOT NULL DEFAULT 0,
        claimed_until INTEGER, PRIMARY KEY (id), UNIQUE (site, key))`,
      'CREATE INDEX accounts_dirty ON accounts (updated_at) WHERE dirty',
      'CREATE INDEX accounts_rank ON accounts (score DESC, id)',
      `CREATE TABLE account_members (
        lead_id TEXT NOT NULL, account_id TEXT NOT NULL, site TEXT NOT NULL, source TEXT NOT NULL CHECK (source IN ('group', 'domain')),
        joined_at INTEGER NOT NULL, moves_dropped INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (lead_id))`,
      'CREATE INDEX account_members_account ON account_members (account_id)',
      `CREATE TABLE account_moves (
        seq INTEGER PRIMARY KEY, site TEXT NOT NULL, lead_id TEXT NOT NULL, from_account TEXT, to_account TEXT NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('group', 'domain')), at INTEGER NOT NULL)`,
      'CREATE INDEX account_moves_lead ON account_moves (lead_id, seq)',
      'CREATE INDEX account_moves_to ON account_moves (to_account, seq)',
      'CREATE INDEX account_moves_from ON account_moves (from_account, seq)',
    ],
    postgres: [
      `CREATE TABLE accounts (
        id text COLLATE "C" NOT NULL, site text COLLATE "C" NOT NULL, key text COLLATE "C" NOT NULL,
        source text NOT NULL CHECK (source IN ('group', 'domain')), traits jsonb, score double precision NOT NULL DEFAULT 0,
        level text NOT NULL DEFAULT 'cold', previous text NOT NULL DEFAULT 'cold', reasons jsonb NOT NULL DEFAULT '[]', topics jsonb NOT NULL DEFAULT '[]',
        people integer NOT NULL DEFAULT 0, model text, created_at bigint NOT NULL, updated_at bigint NOT NULL, scored_at bigint,
        dirty boolean NOT NULL DEFAULT true, dirty_seq bigint NOT NULL DEFAULT 1, scored_seq bigint NOT NULL DEFAULT 0, claimed_until bigint,
        PRIMARY KEY (id), UNIQUE (site, key))`,
      'CREATE INDEX accounts_dirty ON accounts (updated_at) WHERE dirty',
      'CREATE INDEX accounts_rank ON accounts (score DESC, id)',
      `CREATE TABLE account_members (
        lead_id text COLLATE "C" NOT NULL, account_id text COLLATE "C" NOT NULL, site text COLLATE "C" NOT NULL,
        source text NOT NULL CHECK (source IN ('group', 'domain')), joined_at bigint NOT NULL, moves_dropped integer NOT NULL DEFAULT 0,
        PRIMARY KEY (lead_id))`,
      'CREATE INDEX account_members_account ON account_members (account_id)',
      `CREATE TABLE account_moves (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, site text COLLATE "C" NOT NULL, lead_id text COLLATE "C" NOT NULL,
        from_account text COLLATE "C", to_account text COLLATE "C" NOT NULL, source text NOT NULL CHECK (source IN ('group', 'domain')),
        at bigint NOT NULL)`,
      'CREATE INDEX account_moves_lead ON account_moves (lead_id, seq)',
      'CREATE INDEX account_moves_to ON account_moves (to_account, seq)',
      'CREATE INDEX account_moves_from ON account_moves (from_account, seq)',
    ],
  },
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = 1 + MIGRATIONS.length;

/**
 * The statements that take a database from `current` to {@link SCHEMA_VERSION}: the whole schema for an empty one.
 * Throws `schema_too_new` for a database written by a newer receiver, before anything is touched.
 */
export function getMigration(engine: Engine, current: number): string[] {
  if (current > SCHEMA_VERSION) {
    throw new InklingError(
      'schema_too_new',
      500,
      `database: schema version ${current} was written by a newer @inkling/receiver (this one knows ${SCHEMA_VERSION}); upgrade the receiver`,
    );
  }
  if (current === 0) return renderSchema(engine);
  return MIGRATIONS.slice(current - 1).flatMap((migration) => migration[engine]);
}
