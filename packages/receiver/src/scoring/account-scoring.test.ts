// Accounts scored from their members: warm while each lead stays cold, announced once per level change as a signed
// account webhook (on several receivers sharing PostgreSQL too), re-scored when a member is forgotten, and bounded
// for an account of 1,000 members.
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL } from '@inkling/core';
import type { AnyEvent } from '@inkling/core';
import { SITE, batchOf, collect, createClock, createTestReceiver, eventAt, post, startConsumer } from '../../test/helpers.js';
import type { Consumer, TestClock } from '../../test/helpers.js';
import { createTestSchema } from '../../test/postgres.js';
import { STORES, startTestReceiver } from '../../test/stores.js';
import { openPostgresStore } from '../index.js';
import type { Receiver, Store } from '../index.js';
import type { AccountWebhookPayload } from '../webhooks/payload.js';
import { ACCOUNT_SCORED_MEMBERS, createAccountScorer } from './account-scoring.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

/**
 * One person's research: an article on `topic` read, and pricing viewed once. Cold as a lead. `account` rides on every
 * event, as the browser sends it after `group`; `email` identifies the visitor instead.
 */
function research(visitor: string, now: number, o: { account?: string; email?: string; topic?: string } = {}): AnyEvent[] {
  const topics = [o.topic ?? 'reconciliation'];
  const on = o.account === undefined ? {} : { account: o.account };
  const article = { path: '/blog/close-faster', kind: 'article', title: 'Close faster' };
  const view = eventAt('page_view', visitor, now, 3_600_000, { ...on, page: article, props: { nav: 'load', topics } });
  const events: AnyEvent[] = [
    view,
    eventAt('article_read', visitor, now, 3_300_000, {
      ...on,
      page: article,
      props: { pageViewId: view.id, words: 1400, expectedMs: 353_000, attentiveMs: 230_000, readRatio: 0.65, scrollDepth: 1, topics },
    }),
    eventAt('page_view', visitor, now, 3_000_000, { ...on, page: { path: '/pricing', kind: 'pricing' } }),
  ];
  if (o.account !== undefined)
    events.unshift(
      eventAt('group', visitor, now, 3_700_000, { account: o.account, props: { accountId: o.account, traits: { name: 'Northwind' } } }),
    );
  if (o.email !== undefined)
    events.unshift(eventAt('identify', visitor, now, 3_700_000, { props: { userId: o.email, traits: { email: o.email } } }));
  return events;
}

const accountHooks = (consumer: Consumer) =>
  consumer.received
    .map((r) => new Webhook(SECRET).verify(r.body, r.headers) as { type: string })
    .filter((p) => p.type.startsWith('account.'));

describe.each(STORES)('accounts on $name', (kind) => {
  let receiver: Receiver | undefined;
  let consumer: Consumer | undefined;

  afterEach(async () => {
    await receiver?.close();
    await consumer?.close();
    receiver = undefined;
    consumer = undefined;
  });

  async function setup(): Promise<{ receiver: Receiver; consumer: Consumer; clock: TestClock }> {
    const clock = createClock();
    consumer = await startConsumer();
    receiver = await startTestReceiver(kind, { webhooks: [{ url: consumer.url, secret: SECRET }], allowPrivateNetworks: true }, clock);
    return { receiver, consumer, clock };
  }

  it('makes an account warm from two people of one company while each lead stays cold, and sends account.warm once', async () => {
    const { receiver, consumer, clock } = await setup();
    // One joins by group (the id names the domain's account), the other by an identified company e-mail address.
    await collect(receiver, research('v_ada_0000001', clock.now(), { account: 'domain:northwind.com' }), clock.now());
    await collect(receiver, research('v_grace_000001', clock.now(), { email: 'grace@northwind.com' }), clock.now());
    const store = receiver.store;
    const leads = await store.listLeads({ limit: 10 });
    expect(leads.map((l) => l.level)).toEqual(['cold', 'cold']);
    const [account] = await store.listAccounts({ limit: 10 });
    expect(account).toMatchObject({ key: 'domain:northwind.com', level: 'warm', members: 2, people: 2 });
    expect(account!.reasons.slice(0, 2)).toEqual([
      '2 people researched reconciliation this week',
      '2 people viewed pricing twice between them',
    ]);
    await receiver.flush();
    const hooks = accountHooks(consumer) as AccountWebhookPayload[];
    expect(hooks).toHaveLength(1);
    expect(consumer.received).toHaveLength(1);
    expect(hooks[0]).toMatchObject({
      type: 'account.warm',
      data: {
        account: { id: account!.id, site: SITE, key: 'domain:northwind.com', source: 'group', traits: { name: 'Northwind' }, members: 2 },
        level: 'warm',
        previous: 'cold',
        people: 2,
        model: 'account-1',
        topics: [{ name: 'reconciliation', people: 2 }],
      },
    });
    expect(hooks[0]!.data.leads.map((l) => l.id).sort()).toEqual(leads.map((l) => l.id).sort());
    expect(consumer.received[0]!.headers['webhook-id']).toMatch(/^msg_[0-9a-f]{32}$/);
  });

  it('forgets a member: the account is re-scored without them, cools, and says so', async () => {
    const { receiver, consumer, clock } = await setup();
    await collect(receiver, research('v_ada_0000001', clock.now(), { account: 'northwind' }), clock.now());
    await collect(receiver, research('v_grace_000001', clock.now(), { account: 'northwind' }), clock.now());
    await receiver.flush();
    expect(accountHooks(consumer).map((p) => p.type)).toEqual(['account.warm']);
    const forget = eventAt('forget', 'v_grace_000001', clock.now(), 0);
    const response = await receiver.fetch(
      new Request('http://receiver.test/collect', { method: 'POST', ...post(batchOf([forget], clock.now())) }),
    );
    expect(response.status).toBe(202);
    await receiver.flush();
    await receiver.flush();
    const [account] = await receiver.store.listAccounts({ limit: 10 });
    expect(account).toMatchObject({ members: 1, people: 1, level: 'cold', previous: 'warm' });
    expect(account!.reasons.join('; ')).not.toContain('2 ');
    expect(accountHooks(consumer).map((p) => p.type)).toEqual(['account.warm', 'account.cooled']);
  });

  it("waits for a member's snapshot to be rebuilt after one of its devices is forgotten, so the account does not flap", async () => {
    const { receiver, consumer, clock } = await setup();
    const now = clock.now();
    const laptop = research('v_ada_laptop_01', now, { account: 'northwind' });
    const phone = research('v_ada_phone_001', now, { account: 'northwind' }).map((e) => ({ ...e, user: 'ada' }));
    await collect(receiver, [eventAt('identify', 'v_ada_laptop_01', now, 3_800_000, { props: { userId: 'ada' } }), ...laptop], now);
    await collect(receiver, phone, now);
    await collect(receiver, research('v_grace_000001', now, { account: 'northwind' }), now);
    await receiver.flush();
    expect(accountHooks(consumer).map((p) => p.type)).toEqual(['account.warm']);
    const forget = eventAt('forget', 'v_ada_phone_001', now, 0);
    await receiver.fetch(new Request('http://receiver.test/collect', { method: 'POST', ...post(batchOf([forget], now)) }));
    // Scored before Ada's lead is rebuilt (as another receiver, or a rebuild in slices, may): it waits instead.
    const store = receiver.store;
    const [dirty] = await store.claimDirtyAccounts(10, clock.now(), 60_000);
    const score = createAccountScorer({ store, model: DEFAULT_MODEL, now: clock.now, endpoints: [{ url: consumer.url }] });
    expect(await score(dirty!)).toBe(false);
    expect(await store.getAccount(dirty!.id)).toMatchObject({ level: 'warm' });
    await receiver.flush();
    await receiver.flush();
    const [account] = await store.listAccounts({ limit: 10 });
    expect(account).toMatchObject({ members: 2, people: 2, level: 'warm' });
    expect(accountHooks(consumer).map((p) => p.type)).toEqual(['account.warm']);
  });

  it(`scores an account of 1,000 members in bounded time (reading at most ${ACCOUNT_SCORED_MEMBERS} snapshots)`, async () => {
    const clock = createClock();
    receiver = await startTestReceiver(kind, {}, clock);
    const store = receiver.store;
    const now = clock.now();
    for (let i = 0; i < 1000; i += 25) {
      const events = Array.from({ length: 25 }, (_, j) =>
        research(`v_member_${String(i + j).padStart(5, '0')}`, now, { account: 'big-corp' }),
      ).flat();
      await store.insertEvents({
        site: SITE,
        sentAt: new Date(now).toISOString(),
        receivedAt: now,
        bot: false,
        events: events.map((event) => ({ event, ts: Date.parse(event.ts), clamped: false })),
      });
    }
    await receiver.flush();
    const [account] = await store.listAccounts({ limit: 1 });
    expect(account).toMatchObject({ members: 1000, people: 1000, level: 'hot' });
    const score = createAccountScorer({ store, model: DEFAULT_MODEL, now: () => now + 1, endpoints: [] });
    const started = performance.now();
    expect(await score({ id: account!.id, site: SITE, key: 'big-corp', level: 'hot', dirtySeq: Number.MAX_SAFE_INTEGER })).toBe(true);
    const ms = performance.now() - started;
    console.info(`account of 1,000 members scored on ${kind.name} in ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(5000);
  }, 120_000);
});

describe('accounts on several receivers sharing PostgreSQL', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('scores an account from members whose batches reached three receivers at once, and announces each level once', async () => {
    const schema = await createTestSchema();
    cleanups.push(schema.drop);
    const consumer = await startConsumer();
    cleanups.push(() => consumer.close());
    const clock = createClock();
    const stores: Store[] = await Promise.all([0, 1, 2].map(() => openPostgresStore({ connectionString: schema.url, poolSize: 4 })));
    const receivers = stores.map((store) =>
      createTestReceiver({ store, webhooks: [{ url: consumer.url, secret: SECRET }], allowPrivateNetworks: true }, clock),
    );
    for (const [i, r] of receivers.entries())
      cleanups.push(async () => {
        await r.close();
        await stores[i]!.close();
      });
    const now = clock.now();
    const people = ['v_ada_0000001', 'v_grace_000001', 'v_linus_000001'];
    await Promise.all(
      people.map((visitor, i) =>
        receivers[i]!.fetch(
          new Request('http://receiver.test/collect', {
            method: 'POST',
            ...post(batchOf(research(visitor, now, { account: 'northwind' }), now)),
          }),
        ),
      ),
    );
    // Rounds of every receiver scoring and delivering at once, until nothing is left to send.
    for (let round = 0; round < 10; round++) {
      await Promise.all(receivers.map((r) => r.flush()));
      if (round >= 2 && (await stores[0]!.listMessages({ status: 'pending' })).length === 0) break;
    }
    const [account] = await stores[0]!.listAccounts({ limit: 10 });
    expect(account).toMatchObject({ key: 'northwind', members: 3, people: 3, level: 'hot' });
    // However the receivers interleaved (hot at once, or warm first), each transition is announced once.
    const types = accountHooks(consumer).map((p) => p.type);
    // Receivers deliver at once, so a warm sent just before the hot may arrive after it.
    expect(types).toContain('account.hot');
    expect(types.filter((t) => t !== 'account.warm' && t !== 'account.hot')).toEqual([]);
    expect(new Set(types).size).toBe(types.length);
    expect(await stores[0]!.listMessages({ leadId: account!.id })).toHaveLength(types.length);
  });
});
