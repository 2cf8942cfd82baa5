import Database from 'better-sqlite3';
import type { Store } from '../types.js';
import { createEventOps } from './events.js';
import { createLeadOps } from './leads.js';
import { createOutboxOps } from './outbox.js';
import { createPrivacyOps } from './privacy.js';
import { checkVersion, migrate } from './schema.js';

/** Options of the SQLite store. */
export interface SqliteStoreOptions {
  /**
   * The database file, created with its folder's parent existing; `:memory:` keeps everything in memory (tests).
   * @default ':memory:'
   */
  filename?: string;
  /**
   * Open an existing database for reading only (exports next to a running receiver). The file must exist and be
   * at this receiver's schema version.
   * @default false
   */
  readonly?: boolean;
}

/**
 * Opens (and creates or migrates) a SQLite store with better-sqlite3. WAL journal with `synchronous = NORMAL`:
 * a crash of the process loses nothing committed; a power loss may lose the last transactions, never corrupt.
 */
export function createSqliteStore(options: SqliteStoreOptions = {}): Store {
  const readonly = options.readonly ?? false;
  const db = new Database(options.filename ?? ':memory:', { readonly, fileMustExist: readonly });
  // Another process (the CLI's export-features next to `serve`) may hold the write lock for a moment.
  db.pragma('busy_timeout = 5000');
  if (readonly) {
    checkVersion(db);
  } else {
    if (db.name !== ':memory:') db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    migrate(db);
  }
  return {
    ...createEventOps(db),
    ...createLeadOps(db),
    ...createOutboxOps(db),
    ...createPrivacyOps(db),
    close: async () => {
      if (db.open) db.close();
    },
  };
}
