import type { Database } from 'better-sqlite3';
import { InklingError } from '../../errors.js';

/**
 * Schema migrations, applied in order on open. `PRAGMA user_version` records the last one applied, so a
 * database is upgraded in place and an older receiver refuses a newer database instead of corrupting it.
 * Never edit a shipped migration: add the next one.
 */
const MIGRATIONS: readonly string[] = [
  `
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
  `,
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

function getVersion(db: Database): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new InklingError(
      'schema_too_new',
      500,
      `database: schema version ${current} was written by a newer @inkling/receiver (this one knows ${SCHEMA_VERSION}); upgrade the receiver`,
    );
  }
  return current;
}

/** For a read-only open: throws unless the database is at exactly {@link SCHEMA_VERSION}. */
export function checkVersion(db: Database): void {
  const current = getVersion(db);
  if (current < SCHEMA_VERSION) {
    throw new InklingError('schema_too_old', 500, `database: schema version ${current}, this receiver needs ${SCHEMA_VERSION}; open it once with inkling serve to migrate it`);
  }
}

/** Brings the database up to {@link SCHEMA_VERSION}; throws `schema_too_new` for a database from a newer receiver. */
export function migrate(db: Database): void {
  const current = getVersion(db);
  db.transaction(() => {
    for (let v = current; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v]!);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}
