import Database from 'better-sqlite3';
import type { Statement as Prepared } from 'better-sqlite3';
import { createStore } from '../create-store.js';
import { toPositional } from '../sql.js';
import type { SqlDatabase, Statement, StatementResult, Work } from '../sql.js';
import type { Store } from '../types.js';
import { SQLITE } from './dialect.js';
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

/** SQLite has no boolean or array type: flags are bound as 0 / 1, arrays as JSON text. */
const bindable = (value: unknown) => (typeof value === 'boolean' ? Number(value) : Array.isArray(value) ? JSON.stringify(value) : value);

/**
 * Runs the store's work on one better-sqlite3 connection. Every call is synchronous, so a unit of work runs to its
 * end without anything else in between; a transaction is `BEGIN IMMEDIATE`, taking the write lock at once.
 */
function createSqlDatabase(db: Database.Database): SqlDatabase {
  const prepared = new Map<string, { statement: Prepared; order: number[] }>();
  const execute = ({ sql, params }: Statement): StatementResult => {
    let entry = prepared.get(sql);
    if (!entry) {
      const positional = toPositional(sql);
      entry = { statement: db.prepare(positional.sql), order: positional.order };
      prepared.set(sql, entry);
    }
    const args = entry.order.map((i) => bindable(params[i]));
    if (entry.statement.reader) {
      const rows = entry.statement.all(...args);
      return { rows, count: rows.length };
    }
    return { rows: [], count: entry.statement.run(...args).changes };
  };
  const drive = <T>(work: Work<T>): T => {
    let step = work.next();
    while (!step.done) step = work.next(execute(step.value));
    return step.value;
  };
  return {
    dialect: SQLITE,
    run: async (work, mode) => (mode === 'single' ? drive(work()) : db.transaction(() => drive(work())).immediate()),
    close: async () => {
      if (db.open) db.close();
    },
  };
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
  return createStore(createSqlDatabase(db));
}
