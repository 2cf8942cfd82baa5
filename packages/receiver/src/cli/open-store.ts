import { redactUrl } from '../lib/redact-url.js';
import { isPostgresUrl, openSqliteStore, openStore } from '../store/open.js';
import type { Store } from '../store/types.js';
import type { Values } from './args.js';
import { CliError } from './io.js';
import { DEFAULT_DB } from './serve.js';

/**
 * Opens the store a command's `--db` (or `INKLING_DB`) names: a postgres:// URL, else a SQLite file, read-only
 * when the command only reads (so it runs next to a live `inkling serve`). A failure names the flag and the
 * database, never a password in its URL.
 */
export async function openCliStore(values: Values, access: 'read' | 'write'): Promise<Store> {
  const db = values['db'] ? String(values['db'].value) : DEFAULT_DB;
  const postgres = isPostgresUrl(db);
  try {
    return postgres ? await openStore(db) : await openSqliteStore({ filename: db, readonly: access === 'read' });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new CliError(
      `${values['db']?.source ?? '--db'}: cannot open ${JSON.stringify(postgres ? redactUrl(db) : db)}: ${postgres ? message.replaceAll(db, redactUrl(db)) : message}`,
    );
  }
}
