import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { describeStoreContract } from '../../test/store-contract.js';
import { bounce, SITE } from '../../test/helpers.js';
import { openSqliteStore } from './open.js';
import { SCHEMA_VERSION } from './schema.js';

describeStoreContract('SQLite (:memory:)', () => openSqliteStore({ filename: ':memory:' }));

describe('SQLite store on a file', () => {
  const dirs: string[] = [];
  const tempFile = () => {
    const dir = mkdtempSync(join(tmpdir(), 'inkling-store-'));
    dirs.push(dir);
    return join(dir, 'inkling.db');
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('creates the schema, records its version, uses WAL, and keeps data across reopening', async () => {
    const filename = tempFile();
    const store = await openSqliteStore({ filename });
    const events = bounce('v_visitor_0001', Date.now());
    await store.insertEvents({
      site: SITE,
      sentAt: new Date().toISOString(),
      receivedAt: Date.now(),
      bot: false,
      events: events.map((event) => ({ event, ts: Date.now(), clamped: false })),
    });
    await store.close();

    const db = new Database(filename, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();

    const reopened = await openSqliteStore({ filename });
    expect(await reopened.countEvents()).toBe(1);
    await reopened.close();
  });

  it('refuses a database written by a newer receiver', async () => {
    const filename = tempFile();
    const db = new Database(filename);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    await expect(openSqliteStore({ filename })).rejects.toMatchObject({ code: 'schema_too_new' });
  });
});
