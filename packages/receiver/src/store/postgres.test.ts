// The PostgreSQL store: the shared contract, its schema versioning, and what several receivers on one database
// must never do (store an event twice, lose a lead's events, claim one lead or webhook twice).
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { AnyEvent } from '@inkling/core';
import { describeStoreContract } from '../../test/store-contract.js';
import { SITE, bounce, eventAt } from '../../test/helpers.js';
import { TEST_PG_URL, adminQuery, createTestSchema } from '../../test/postgres.js';
import { POSTGRES } from '../../test/stores.js';
import type { Store } from '../index.js';
import type { InsertBatch, NewMessage } from '../internals.js';
import { openPostgresStore } from './open.js';
import { SCHEMA_VERSION } from './schema.js';

describeStoreContract('PostgreSQL', () => POSTGRES.open());

const NOW = Date.parse('2026-03-02T10:00:00Z');

function batch(events: AnyEvent[]): InsertBatch {
  return {
    site: SITE,
    sentAt: new Date(NOW).toISOString(),
    receivedAt: NOW,
    bot: false,
    events: events.map((event) => ({ event, ts: Date.parse(event.ts), clamped: false })),
  };
}

const pageViews = (visitor: string, n: number) => Array.from({ length: n }, (_, i) => eventAt('page_view', visitor, NOW, (n - i) * 1000));
const identify = (visitor: string, userId: string) => eventAt('identify', visitor, NOW, 500, { props: { userId } });
/** A score of a lead claimed cold (every lead these tests score is new). */
const score = (leadId: string, dirtySeq: number, level: 'cold' | 'warm', messages: NewMessage[] = []) => ({
  leadId,
  dirtySeq,
  score: level === 'warm' ? 60 : 1,
  level,
  reasons: [],
  model: 'm',
  scoredAt: NOW,
  messages,
  from: 'cold' as const,
});
const message = (leadId: string, id: string): NewMessage => ({
  id,
  endpoint: 'https://hooks.example.com/a',
  type: 'lead.warm',
  payload: '{}',
  leadId,
  site: SITE,
  createdAt: NOW,
  nextAttemptAt: NOW,
});

describe('PostgreSQL store', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** `count` stores on one new schema, opened at once: several receivers sharing a database. */
  async function openShared(count: number, schema?: Awaited<ReturnType<typeof createTestSchema>>): Promise<Store[]> {
    schema ??= await createTestSchema();
    cleanups.push(schema.drop);
    const stores = await Promise.all(Array.from({ length: count }, () => openPostgresStore({ connectionString: schema.url, poolSize: 4 })));
    for (const store of stores) cleanups.push(() => store.close());
    return stores;
  }

  describe('schema', () => {
    it('creates the tables in the configured schema, records the version, and keeps data across reopening', async () => {
      const name = `test_named_${Date.now().toString(36)}`;
      cleanups.push(async () => void (await adminQuery(`DROP SCHEMA IF EXISTS ${name} CASCADE`)));
      const store = await openPostgresStore({ connectionString: TEST_PG_URL, schema: name });
      await store.insertEvents(batch(bounce('v_visitor_0001', NOW)));
      await store.close();
      expect(await adminQuery(`SELECT version FROM ${name}.schema_version ORDER BY version`)).toEqual([{ version: SCHEMA_VERSION }]);
      const reopened = await openPostgresStore({ connectionString: TEST_PG_URL, schema: name });
      expect(await reopened.countEvents()).toBe(1);
      await reopened.close();
    });

    it('refuses a database written by a newer receiver', async () => {
      const schema = await createTestSchema();
      cleanups.push(schema.drop);
      await (await openPostgresStore({ connectionString: schema.url })).close();
      await adminQuery(`INSERT INTO ${schema.name}.schema_version (version) VALUES ($1)`, [SCHEMA_VERSION + 1]);
      await expect(openPostgresStore({ connectionString: schema.url })).rejects.toMatchObject({
        code: 'schema_too_new',
        message: `database: schema version ${SCHEMA_VERSION + 1} was written by a newer @inkling/receiver (this one knows ${SCHEMA_VERSION}); upgrade the receiver`,
      });
    });

    it('migrates once when several receivers start at the same moment', async () => {
      const schema = await createTestSchema();
      const stores = await openShared(4, schema);
      expect(await adminQuery(`SELECT version FROM ${schema.name}.schema_version`)).toEqual([{ version: SCHEMA_VERSION }]);
      for (const store of stores) expect(await store.countEvents()).toBe(0);
    });

    it('fails with database_unavailable naming the server, never the password, when nothing answers', async () => {
      const error = await openPostgresStore({ connectionString: 'postgres://inkling:hunter2-secret@127.0.0.1:1/inkling' }).catch(
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: 'database_unavailable', status: 503 });
      expect((error as Error).message).toBe(
        'database: cannot connect to PostgreSQL at 127.0.0.1:1/inkling (ECONNREFUSED); check the URL given to --db and that the server is running',
      );
      expect((error as Error).message).not.toContain('hunter2');
    });

    it('cancels a statement stuck behind a lock after statementTimeoutMs instead of holding its connection', async () => {
      const schema = await createTestSchema();
      cleanups.push(schema.drop);
      const store = await openPostgresStore({ connectionString: schema.url, statementTimeoutMs: 300 });
      cleanups.push(() => store.close());
      const locker = new pg.Client({ connectionString: schema.url });
      await locker.connect();
      try {
        await locker.query('BEGIN');
        await locker.query('LOCK TABLE events IN ACCESS EXCLUSIVE MODE');
        const started = Date.now();
        await expect(store.countEvents()).rejects.toMatchObject({ code: '57014' });
        expect(Date.now() - started).toBeLessThan(5000);
      } finally {
        await locker.query('ROLLBACK');
        await locker.end();
      }
      expect(await store.countEvents()).toBe(0);
    });

    it('lets the retention sweeps and the stale-lead mark outwait the statement timeout: no request waits for them', async () => {
      const schema = await createTestSchema();
      cleanups.push(schema.drop);
      const store = await openPostgresStore({ connectionString: schema.url, statementTimeoutMs: 200 });
      cleanups.push(() => store.close());
      await store.insertEvents(batch(bounce('v_visitor_0001', NOW)));
      const locker = new pg.Client({ connectionString: schema.url });
      await locker.connect();
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE events, event_keys, leads, outbox IN ACCESS EXCLUSIVE MODE');
      const sweeps = Promise.all([
        store.deleteEventsBefore(NOW + 1),
        store.deleteDedupeKeysBefore(NOW + 1),
        store.pruneMessages(NOW + 1),
        store.markStaleLeads(['cold'], NOW + 1),
      ]);
      // Four times the timeout behind the lock, then it is released.
      await new Promise((r) => setTimeout(r, 800));
      await locker.query('ROLLBACK');
      await locker.end();
      const [events, keys] = await sweeps;
      expect(events).toBeGreaterThan(0);
      expect(keys).toBeGreaterThan(0);
      expect(await store.countEvents()).toBe(0);
    });

    it('rejects a statementTimeoutMs that is not a whole number of milliseconds, naming the option', async () => {
      await expect(openPostgresStore({ connectionString: TEST_PG_URL, statementTimeoutMs: -1 })).rejects.toThrow(
        'statementTimeoutMs: expected a whole number of milliseconds (0 for none), got -1',
      );
    });

    it('refuses a schema name that is not a plain identifier', async () => {
      await expect(openPostgresStore({ connectionString: 'postgres://127.0.0.1/test', schema: 'public; drop' })).rejects.toMatchObject({
        code: 'invalid_option',
      });
    });
  });

  describe('several receivers on one database', () => {
    it('stores a batch sent through two receivers at once exactly once', async () => {
      const [a, b] = await openShared(2);
      const events = pageViews('v_visitor_0001', 20);
      const results = await Promise.all([a!.insertEvents(batch(events)), b!.insertEvents(batch([...events].reverse()))]);
      expect(results.map((r) => r.accepted).sort()).toEqual([0, 20]);
      expect(results.map((r) => r.duplicates).sort()).toEqual([0, 20]);
      expect(await a!.countEvents()).toBe(20);
      expect(await b!.listLeads({ limit: 10 })).toHaveLength(1);
    });

    it('links a new visitor whose batches reach two receivers at once to one lead with every event', async () => {
      const [a, b] = await openShared(2);
      await Promise.all([a!.insertEvents(batch(pageViews('v_visitor_0001', 5))), b!.insertEvents(batch(pageViews('v_visitor_0001', 5)))]);
      const leads = await a!.listLeads({ limit: 10 });
      expect(leads).toHaveLength(1);
      expect(await b!.getLeadEvents(leads[0]!.id)).toHaveLength(10);
    });

    it('gives two devices that identify as one new user on two receivers at once one lead', async () => {
      const [a, b] = await openShared(2);
      await Promise.all([
        a!.insertEvents(batch([identify('v_laptop_0001', 'ada')])),
        b!.insertEvents(batch([identify('v_phone_00001', 'ada')])),
      ]);
      const leads = await a!.listLeads({ limit: 10 });
      expect(leads).toMatchObject([{ userId: 'ada', visitors: ['v_laptop_0001', 'v_phone_00001'] }]);
    });

    it('hands each dirty lead to one receiver when they claim at once', async () => {
      const [a, b] = await openShared(2);
      for (let i = 0; i < 30; i++) await a!.insertEvents(batch(bounce(`v_visitor_${String(i).padStart(4, '0')}`, NOW)));
      const claimed = await Promise.all([a!, b!, a!, b!].map((s) => s.claimDirtyLeads(10, NOW, 60_000)));
      const ids = claimed.flat().map((l) => l.id);
      expect(ids).toHaveLength(30);
      expect(new Set(ids).size).toBe(30);
    });

    it('hands each due webhook to one receiver when they claim at once', async () => {
      const [a, b] = await openShared(2);
      await a!.insertEvents(batch(bounce('v_visitor_0001', NOW)));
      const [dirty] = await a!.claimDirtyLeads(1, NOW, 60_000);
      const messages = Array.from({ length: 30 }, (_, i) => message(dirty!.id, `msg_${i}`));
      await a!.saveScore(score(dirty!.id, dirty!.dirtySeq, 'warm', messages));
      const claimed = await Promise.all([a!, b!, a!, b!].map((s) => s.claimDueMessages(NOW, 10, 30_000)));
      const ids = claimed.flat().map((m) => m.id);
      expect(ids).toHaveLength(30);
      expect(new Set(ids).size).toBe(30);
    });

    it('keeps a lead dirty when another receiver stores its events while it is scored', async () => {
      const [a, b] = await openShared(2);
      await a!.insertEvents(batch(bounce('v_visitor_0001', NOW)));
      const [claimed] = await a!.claimDirtyLeads(10, NOW, 60_000);
      await b!.insertEvents(batch([eventAt('page_view', 'v_visitor_0001', NOW, 10)]));
      await a!.saveScore(score(claimed!.id, claimed!.dirtySeq, 'cold'));
      const [again] = await b!.claimDirtyLeads(10, NOW, 60_000);
      expect(again?.id).toBe(claimed!.id);
      expect(await b!.getLeadEvents(again!.id)).toHaveLength(2);
    });

    it('ignores a stale score saved after a newer one, and sends a level change once', async () => {
      const [a, b] = await openShared(2);
      await a!.insertEvents(batch(bounce('v_visitor_0001', NOW)));
      // a claims, stalls past its lease; b claims the same lead after a new event and scores it first.
      const [stale] = await a!.claimDirtyLeads(10, NOW, 1000);
      await b!.insertEvents(batch([eventAt('page_view', 'v_visitor_0001', NOW, 10)]));
      const [fresh] = await b!.claimDirtyLeads(10, NOW + 1000, 60_000);
      expect(fresh!.dirtySeq).toBeGreaterThan(stale!.dirtySeq);
      await b!.saveScore(score(fresh!.id, fresh!.dirtySeq, 'warm', [message(fresh!.id, 'msg_b')]));
      await a!.saveScore({ ...score(stale!.id, stale!.dirtySeq, 'warm', [message(stale!.id, 'msg_a')]), score: 59 });
      expect(await a!.getLead(fresh!.id)).toMatchObject({ score: 60, level: 'warm' });
      expect((await a!.listMessages()).map((m) => m.id)).toEqual(['msg_b']);
      expect(await a!.claimDirtyLeads(10, NOW + 2000, 60_000)).toEqual([]);
    });

    it('sends a level change once when two receivers scored the same events', async () => {
      const [a, b] = await openShared(2);
      await a!.insertEvents(batch(bounce('v_visitor_0001', NOW)));
      const [first] = await a!.claimDirtyLeads(10, NOW, 1000);
      const [second] = await b!.claimDirtyLeads(10, NOW + 1000, 60_000);
      expect(second!.dirtySeq).toBe(first!.dirtySeq);
      await Promise.all([
        a!.saveScore(score(first!.id, first!.dirtySeq, 'warm', [message(first!.id, 'msg_a')])),
        b!.saveScore(score(second!.id, second!.dirtySeq, 'warm', [message(second!.id, 'msg_b')])),
      ]);
      expect(await a!.listMessages()).toHaveLength(1);
    });
  });
});
