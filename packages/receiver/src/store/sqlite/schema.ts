import type { Database } from 'better-sqlite3';
import { InklingError } from '../../errors.js';
import { SCHEMA_VERSION, getMigration } from '../schema.js';

// `PRAGMA user_version` records the schema version, so a database is upgraded in place and an older receiver refuses
// a newer database instead of corrupting it.
const getVersion = (db: Database) => db.pragma('user_version', { simple: true }) as number;

/** For a read-only open: throws unless the database is at exactly {@link SCHEMA_VERSION}. */
export function checkVersion(db: Database): void {
  const current = getVersion(db);
  getMigration('sqlite', current);
  if (current < SCHEMA_VERSION) {
    throw new InklingError(
      'schema_too_old',
      500,
      `database: schema version ${current}, this receiver needs ${SCHEMA_VERSION}; open it once with inkling serve to migrate it`,
    );
  }
}

/** Brings the database up to {@link SCHEMA_VERSION} in one transaction; throws `schema_too_new` for a newer one. */
export function migrate(db: Database): void {
  const statements = getMigration('sqlite', getVersion(db));
  db.transaction(() => {
    for (const statement of statements) db.exec(statement);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}
