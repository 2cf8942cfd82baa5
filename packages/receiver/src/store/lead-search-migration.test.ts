// Migration 7 fills the leads list's columns (last seen, traits, topic names) from what a database already holds, on
// both engines: a store written before it lists, searches and counts its old leads as a new one would.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { AnyEvent } from '@inkling/core';
import { DAY_MS, SITE, eventAt } from '../../test/helpers.js';
import { adminQuery, createTestSchema } from '../../test/postgres.js';
import { openPostgresStore, openSqliteStore } from './open.js';
import { SCHEMA_VERSION } from './schema.js';
import type { Store } from './types.js';

const NOW = Date.parse('2026-03-02T10:00:00Z');
/** The migration under test: a database one version before it is what it upgrades. */
const LEADS_LIST_MIGRATION = 7;
const ADDED = ['seen_at', 'traits', 'traits_at', 'traits_search', 'topic_names'];
const INDEXES = ['leads_seen', 'leads_change', 'leads_level', 'leads_topics'];

async function store(s: Store, events: AnyEvent[], bot = false): Promise<void> {
  await s.insertEvents({
    site: SITE,
    sentAt: new Date(NOW).toISOString(),
    receivedAt: NOW,
    bot,
    events: events.map((event) => ({ event, ts: Date.parse(event.ts), clamped: false })),
  });
}

/** A lead with history written by this receiver: visits, two identifies, a claim to be someone else, a bot's visit. */
async function writeHistory(s: Store): Promise<void> {
  await store(s, [
    eventAt('page_view', 'v_laptop_0001', NOW, 3 * DAY_MS),
    eventAt('identify', 'v_laptop_0001', NOW, 2 * DAY_MS, { props: { userId: 'ada', traits: { company: 'Acme' } } }),
    eventAt('identify', 'v_laptop_0001', NOW, DAY_MS, { props: { userId: 'ada', traits: { company: 'Initech', name: 'Ada L' } } }),
    eventAt('identify', 'v_laptop_0001', NOW, DAY_MS - 1000, { props: { userId: 'grace', traits: { company: 'Hooli' } } }),
  ]);
  await store(s, [eventAt('page_view', 'v_laptop_0001', NOW, 1000)], true);
  const [dirty] = await s.claimDirtyLeads(10, NOW, 60_000);
  const topic = (name: string, score: number) => ({ name, reads: 1, minutes: 3, score });
  await s.saveScore({
    leadId: dirty!.id,
    dirtySeq: dirty!.dirtySeq,
    score: 50,
    level: 'warm',
    reasons: [],
    topics: [topic('payroll', 30), topic('tax', 20), topic('audit', 10), topic('reconciliation', 5)],
    model: 'm',
    scoredAt: NOW,
    messages: [],
    from: dirty!.level,
  });
}

/** What the list shows of that history once migrated. */
async function expectListed(s: Store): Promise<void> {
  const [lead] = await s.findLeadsByUser('ada');
  const search = (q: object) => s.searchLeads({ levels: ['hot', 'warm', 'cold'], sort: 'score', offset: 0, limit: 10, ...q });
  // The newest non-bot event: the conflicting claim, a day ago less a second (the bot's visit is left out).
  expect(await s.getLastSeen([lead!.id])).toEqual({ [lead!.id]: NOW - DAY_MS + 1000 });
  expect((await search({ text: 'initech' })).leads.map((l) => l.id)).toEqual([lead!.id]);
  expect((await search({ text: 'ada l' })).counts).toEqual({ hot: 0, warm: 1, cold: 0 });
  expect((await search({ text: 'acme' })).leads).toEqual([]);
  expect((await search({ text: 'hooli' })).leads).toEqual([]);
  expect((await search({ topic: 'audit' })).leads.map((l) => l.id)).toEqual([lead!.id]);
  expect((await search({ topic: 'reconciliation' })).leads).toEqual([]);
  expect((await search({ seenSince: NOW - DAY_MS })).counts).toEqual({ hot: 0, warm: 1, cold: 0 });
  expect((await search({ seenSince: NOW - 1000 })).counts).toEqual({ hot: 0, warm: 0, cold: 0 });
  expect(await s.getLeadFacets()).toEqual({ sites: [SITE], topics: ['audit', 'payroll', 'tax'] });
}

describe('store migration 7: the leads list', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('fills a SQLite file’s last-seen times, traits and topic names from its events and scores', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inkling-migrate-7-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const filename = join(dir, 'inkling.db');
    const fresh = await openSqliteStore({ filename });
    await writeHistory(fresh);
    await fresh.close();
    // Back to the version before: the columns and indexes the migration adds, taken away.
    const db = new Database(filename);
    for (const index of INDEXES) db.exec(`DROP INDEX ${index}`);
    for (const column of ADDED) db.exec(`ALTER TABLE leads DROP COLUMN ${column}`);
    db.pragma(`user_version = ${LEADS_LIST_MIGRATION - 1}`);
    db.close();

    const migrated = await openSqliteStore({ filename });
    cleanups.push(() => migrated.close());
    await expectListed(migrated);
    const check = new Database(filename, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    check.close();
  });

  it('fills a PostgreSQL schema’s last-seen times, traits and topic names from its events and scores', async () => {
    const schema = await createTestSchema();
    cleanups.push(schema.drop);
    const fresh = await openPostgresStore({ connectionString: schema.url });
    await writeHistory(fresh);
    await fresh.close();
    for (const index of INDEXES) await adminQuery(`DROP INDEX ${schema.name}.${index}`);
    await adminQuery(`ALTER TABLE ${schema.name}.leads ${ADDED.map((c) => `DROP COLUMN ${c}`).join(', ')}`);
    await adminQuery(`DELETE FROM ${schema.name}.schema_version`);
    await adminQuery(`INSERT INTO ${schema.name}.schema_version (version) VALUES ($1)`, [LEADS_LIST_MIGRATION - 1]);

    const migrated = await openPostgresStore({ connectionString: schema.url });
    cleanups.push(() => migrated.close());
    await expectListed(migrated);
    expect(await adminQuery(`SELECT max(version) AS version FROM ${schema.name}.schema_version`)).toEqual([{ version: SCHEMA_VERSION }]);
  });
});
