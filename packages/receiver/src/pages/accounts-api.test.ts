// The account API end to end through the fetch core: accounts by score, one account with its members, topics,
// reasons and timeline, and the collector's per-event errors for bad account ids.
import { afterEach, describe, expect, it } from 'vitest';
import type { AnyEvent } from '@inkling/core';
import { API_KEY, batchOf, collect as collectBatch, createClock, eventAt, post, accountResearch } from '../../test/helpers.js';
import type { TestClock } from '../../test/helpers.js';
import { STORES, startTestReceiver } from '../../test/stores.js';
import { DEFAULT_MODEL } from '@inkling/core';
import { createReceiver } from '../index.js';
import type { LeadDetail, Receiver, ReceiverOptions } from '../index.js';
import { ACCOUNT_SCORED_MEMBERS, createAccountScorer } from '../scoring/account-scoring.js';
import type { AccountDetail, AccountPage } from './accounts-api.js';

describe.each(STORES)('account API on $name', (kind) => {
  let receiver: Receiver;
  let clock: TestClock;

  afterEach(async () => {
    await receiver.close();
  });

  async function start(options: ReceiverOptions = {}): Promise<void> {
    clock = createClock();
    receiver = await startTestReceiver(kind, options, clock);
  }

  const collect = (events: AnyEvent[]) => collectBatch(receiver, events, clock.now());
  const get = (path: string, key: string | null = API_KEY) =>
    receiver.fetch(new Request(`http://receiver.test${path}`, { headers: key === null ? {} : { authorization: `Bearer ${key}` } }));

  it("makes no account of a site's own free-mail domains, and names a bad one", async () => {
    await start({ freeMailDomains: ['Example-ISP.net'] });
    const identify = (visitor: string, email: string) =>
      eventAt('identify', visitor, clock.now(), 1000, { props: { userId: email, traits: { email } } });
    await collect([identify('v_bob_0000001', 'bob@mail.example-isp.net'), identify('v_ada_0000001', 'ada@northwind.com')]);
    expect((await receiver.store.listAccounts({ limit: 10 })).map((a) => a.key)).toEqual(['domain:northwind.com']);
    expect(() => createReceiver({ freeMailDomains: ['not a domain'] })).toThrow(
      'freeMailDomains[0]: expected an e-mail domain such as "example-isp.net", got "not a domain"',
    );
  });

  it('requires the API key on both routes', async () => {
    await start();
    expect((await get('/accounts', null)).status).toBe(401);
    expect((await get('/accounts/x', null)).status).toBe(401);
  });

  it('lists accounts by score with their reasons and topics, and gives one with members and timeline', async () => {
    await start();
    await collect([
      ...accountResearch('v_ada_0000001', clock.now(), 'northwind'),
      ...accountResearch('v_grace_000001', clock.now(), 'northwind'),
    ]);
    await collect(accountResearch('v_solo_000001', clock.now(), 'contoso'));
    // A move: one of Contoso's people is later in Northwind.
    await collect([eventAt('group', 'v_solo_000001', clock.now(), 1000, { account: 'northwind', props: { accountId: 'northwind' } })]);
    const response = await get('/accounts?level=warm,hot');
    expect(response.status).toBe(200);
    const page = (await response.json()) as AccountPage;
    expect(page.accounts.map((a) => [a.key, a.level, a.members])).toEqual([['northwind', 'hot', 3]]);
    expect(page.accounts[0]!.reasons[0]).toBe('3 people researched reconciliation this week');
    expect(page.accounts[0]!.topics[0]).toMatchObject({ name: 'reconciliation', people: 3 });

    const all = (await (await get('/accounts?limit=1')).json()) as AccountPage;
    expect(all.accounts).toHaveLength(1);
    const next = (await (await get(`/accounts?limit=1&cursor=${all.nextCursor}`)).json()) as AccountPage;
    expect(next.accounts.map((a) => a.key)).toEqual(['contoso']);
    expect(next.nextCursor).toBeNull();

    const id = page.accounts[0]!.id;
    const detail = (await (await get(`/accounts/${id}?limit=2`)).json()) as AccountDetail;
    expect(detail.account).toMatchObject({ id, key: 'northwind', members: 3 });
    expect(detail.members).toHaveLength(3);
    expect(detail.members.every((m) => m.level === 'cold' && m.source === 'group')).toBe(true);
    // A lead's own page names its account.
    const lead = (await (await get(`/leads/${detail.members[0]!.leadId}`)).json()) as LeadDetail;
    expect(lead.account).toMatchObject({ accountId: id, key: 'northwind', source: 'group' });
    expect(detail.timeline).toHaveLength(2);
    expect(detail.timeline[0]).toMatchObject({ kind: 'joined', other: next.accounts[0]!.id, source: 'group' });
    const older = (await (await get(`/accounts/${id}?before=${detail.nextBefore}`)).json()) as AccountDetail;
    expect(older.timeline.map((t) => t.kind)).toEqual(['joined']);
    expect(older.nextBefore).toBeNull();
    const contoso = (await (await get(`/accounts/${next.accounts[0]!.id}`)).json()) as AccountDetail;
    expect(contoso.timeline.map((t) => t.kind)).toEqual(['left', 'joined']);
    expect(contoso.account.members).toBe(0);
  });

  it('answers 404 for an unknown account and 400 for a bad query, naming the field', async () => {
    await start();
    const missing = await get('/accounts/no-such-account');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('account_not_found');
    const bad = await get('/accounts?level=lukewarm');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain('level:');
    expect(((await (await get('/accounts/x?before=soon')).json()) as { error: { message: string } }).error.message).toContain('before:');
  });

  it('refuses bad account ids event by event, storing the good events beside them', async () => {
    await start();
    const now = clock.now();
    const good = eventAt('page_view', 'v_ada_0000001', now, 5000, { account: 'northwind' });
    const bad = [
      eventAt('page_view', 'v_ada_0000001', now, 4000, { account: 'ada@northwind.com' }),
      eventAt('page_view', 'v_ada_0000001', now, 3000, { account: '' }),
      eventAt('page_view', 'v_ada_0000001', now, 2000, { account: 'n'.repeat(5000) }),
      eventAt('page_view', 'v_ada_0000001', now, 1000, { account: { id: 'northwind' } as never }),
      eventAt('group', 'v_ada_0000001', now, 500, { props: { accountId: 'grace@contoso.com' } }),
    ];
    const response = await receiver.fetch(
      new Request('http://receiver.test/collect', { method: 'POST', ...post(batchOf([good, ...bad], now)) }),
    );
    expect(response.status).toBe(202);
    const body = (await response.json()) as { accepted: number; rejected: { index: number; message: string }[] };
    expect(body.accepted).toBe(1);
    expect(body.rejected.map((r) => r.index)).toEqual([1, 2, 3, 4, 5]);
    expect(body.rejected[0]!.message).toBe(
      'events[1].account: expected 1–128 characters without an e-mail address, got "ada@northwind.com"',
    );
    expect(body.rejected[3]!.message).toContain('events[4].account: expected a string of 1–128 characters');
    expect(body.rejected[4]!.message).toContain('events[5].props.accountId: expected 1–128 characters without an e-mail address');
    await receiver.flush();
    expect((await receiver.store.listAccounts({ limit: 10 })).map((a) => a.key)).toEqual(['northwind']);
  });

  it('keeps every visitor of 10,000 claiming one account, and scores the account from a bounded number of them', async () => {
    await start();
    const store = receiver.store;
    const now = clock.now();
    const stored = performance.now();
    for (let i = 0; i < 10_000; i += 100) {
      const events = Array.from({ length: 100 }, (_, j) =>
        eventAt('page_view', `v_crowd_${String(i + j).padStart(6, '0')}`, now, 1000, { account: 'everyone' }),
      );
      await store.insertEvents({
        site: 'example.com',
        sentAt: new Date(now).toISOString(),
        receivedAt: now,
        bot: false,
        events: events.map((event) => ({ event, ts: Date.parse(event.ts), clamped: false })),
      });
    }
    const storing = performance.now() - stored;
    expect(await store.countEvents()).toBe(10_000);
    const [account] = await store.listAccounts({ limit: 1 });
    expect(account).toMatchObject({ key: 'everyone', members: 10_000 });
    const read: number[] = [];
    const counting = {
      ...store,
      getAccountProfiles: async (id: string, limit: number) => {
        const found = await store.getAccountProfiles(id, limit);
        read.push(found.members.length);
        return found;
      },
    };
    // Scoring the leads is every lead's own cost; the account's is bounded whatever its size.
    const [claimed] = await store.claimDirtyAccounts(10, now, 60_000);
    const started = performance.now();
    expect(await createAccountScorer({ store: counting, model: DEFAULT_MODEL, now: () => now, endpoints: [] })(claimed!)).toBe(true);
    const scoring = performance.now() - started;
    expect(read).toEqual([ACCOUNT_SCORED_MEMBERS]);
    expect(await store.getAccount(account!.id)).toMatchObject({ members: 10_000, level: 'cold', scoredAt: now });
    console.info(
      `10,000 visitors claiming one account on ${kind.name}: stored in ${storing.toFixed(0)} ms, the account scored in ${scoring.toFixed(0)} ms`,
    );
  }, 120_000);
});
