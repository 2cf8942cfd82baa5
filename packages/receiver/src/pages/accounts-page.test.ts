// The dashboard's Accounts view through the fetch core: the list (levels, members, topics, reasons, filters, live
// versions) and an account's page (members linking to their lead pages, why, topics, moves), under the strict CSP.
import { afterEach, describe, expect, it } from 'vitest';
import type { AnyEvent } from '@inkling/core';
import { API_KEY, collect as collectBatch, createClock, eventAt, accountResearch } from '../../test/helpers.js';
import type { TestClock } from '../../test/helpers.js';
import { STORES, startTestReceiver } from '../../test/stores.js';
import type { Receiver } from '../index.js';

describe.each(STORES)('accounts pages on $name', (kind) => {
  let receiver: Receiver;
  let clock: TestClock;

  afterEach(async () => {
    await receiver.close();
  });

  async function start(): Promise<void> {
    clock = createClock();
    receiver = await startTestReceiver(kind, {}, clock);
  }
  const collect = async (events: AnyEvent[]) => {
    await collectBatch(receiver, events, clock.now());
    await receiver.flush();
  };
  const page = (path: string, headers: Record<string, string> = { authorization: `Bearer ${API_KEY}` }) =>
    receiver.fetch(new Request(`http://receiver.test${path}`, { headers: { accept: 'text/html', ...headers } }));
  const html = async (path: string) => {
    const response = await page(path);
    expect(response.status, path).toBe(200);
    return response.text();
  };
  const accountIdOf = async (key: string) => (await receiver.store.listAccounts({ limit: 100 })).find((a) => a.key === key)!.id;

  it('signs in like every dashboard page, and the header links to the accounts', async () => {
    await start();
    expect((await page('/dashboard/accounts', {})).status).toBe(401);
    expect((await page('/dashboard/accounts/x', {})).status).toBe(401);
    expect(await html('/dashboard')).toContain('<a href="/dashboard/accounts">Accounts</a>');
  });

  it('lists warm and hot accounts with level, score, members, engaged people, top topics and reasons, under the CSP', async () => {
    await start();
    await collect([
      ...accountResearch('v_ada_0000001', clock.now(), 'acct_northwind', { name: 'Northwind Traders', plan: 'team' }),
      ...accountResearch('v_grace_000001', clock.now(), 'acct_northwind'),
      ...accountResearch('v_linus_000001', clock.now(), 'acct_northwind'),
    ]);
    await collect(accountResearch('v_solo_000001', clock.now(), 'acct_contoso'));
    const response = await page('/dashboard/accounts');
    expect(response.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'sha256-[^']+'; script-src 'sha256-/);
    const list = await response.text();
    expect(list).toContain('<h1>Hot and warm accounts</h1>');
    expect(list).not.toMatch(/<style>[^<]*<\/style>[\s\S]*style=/);
    const rows = [...list.matchAll(/<li class="account" data-account-id="([^"]+)" data-level="(\w+)">/g)];
    expect(rows).toHaveLength(1);
    const id = await accountIdOf('acct_northwind');
    expect(rows[0]![1]).toBe(id);
    expect(list).toContain(`<a class="who" href="/dashboard/accounts/${encodeURIComponent(id)}">Northwind Traders</a>`);
    expect(list).toContain('acct_northwind · example.com');
    expect(list).toContain('3 members<br>3 engaged people');
    expect(list).toContain('3 people researched reconciliation this week');
    expect(list).toMatch(
      /<a class="topic" href="\?level=hot&amp;level=warm&amp;topic=reconciliation" title="3 people, 3 reads, \d+ min">reconciliation<\/a>/,
    );
    // The one-person account is cold: counted, and listed when cold is asked for.
    expect(list).toContain('<span data-count="cold">1</span>');
    const cold = await html('/dashboard/accounts?level=cold');
    expect(cold).toContain('<h1>Cold accounts</h1>');
    expect(cold).toContain('>acct_contoso</a>');
    expect(cold).toContain('1 member<br>');
    expect(await html('/dashboard/accounts?level=hot,warm,cold&topic=payroll')).toContain('No all accounts match these filters yet.');
  });

  it('answers 304 to a poll when nothing changed, and 400 naming a bad filter', async () => {
    await start();
    await collect(accountResearch('v_ada_0000001', clock.now(), 'acct_northwind'));
    const first = await page('/dashboard/accounts?level=cold');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"/);
    expect((await page('/dashboard/accounts?level=cold', { authorization: `Bearer ${API_KEY}`, 'if-none-match': etag })).status).toBe(304);
    await collect(accountResearch('v_grace_000001', clock.now(), 'acct_contoso'));
    expect((await page('/dashboard/accounts?level=cold', { authorization: `Bearer ${API_KEY}`, 'if-none-match': etag })).status).toBe(200);
    const bad = await page('/dashboard/accounts?level=lukewarm');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('level: expected cold, warm or hot');
    expect((await page('/dashboard/accounts?page=0')).status).toBe(400);
  });

  it("shows an account's members linking to their lead pages, why it is warm, its topics and its moves", async () => {
    await start();
    await collect([
      ...accountResearch('v_ada_0000001', clock.now(), 'acct_northwind', { name: 'Northwind Traders', plan: 'team' }),
      ...accountResearch('v_grace_000001', clock.now(), 'acct_northwind'),
    ]);
    await collect(accountResearch('v_solo_000001', clock.now(), 'acct_contoso'));
    clock.advance(60_000);
    await collect([
      eventAt('group', 'v_solo_000001', clock.now(), 0, { account: 'acct_northwind', props: { accountId: 'acct_northwind' } }),
    ]);
    const id = await accountIdOf('acct_northwind');
    const contoso = await accountIdOf('acct_contoso');
    const response = await page(`/dashboard/accounts/${encodeURIComponent(id)}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'sha256-[^']+'; frame-ancestors/);
    const detail = await response.text();
    expect(detail).toContain('<h1 class="who">Northwind Traders</h1>');
    expect(detail).toContain('<code class="account-key">acct_northwind</code> · example.com · 3 members');
    const members = [...detail.matchAll(/<li class="member" data-lead-id="([^"]+)" data-level="(\w+)">/g)];
    expect(members).toHaveLength(3);
    const leads = (await receiver.store.listLeads({ limit: 10 })).map((l) => l.id).sort();
    expect(members.map((m) => m[1]).sort()).toEqual(leads);
    expect(members.every((m) => m[2] === 'cold')).toBe(true);
    for (const [, lead] of members) expect(detail).toContain(`<a class="who" href="/dashboard/leads/${encodeURIComponent(lead!)}">`);
    expect(detail).toContain('<li class="reason">3 people researched reconciliation this week</li>');
    expect(detail).toMatch(
      /<a class="topic" href="\/dashboard\/accounts\?topic=reconciliation">reconciliation<\/a> <span class="muted">3 people · 3 reads/,
    );
    expect(detail).toContain('<dt>plan</dt><dd>team</dd>');
    expect(detail).toContain(
      `joined, named by the site, from <a class="other" href="/dashboard/accounts/${encodeURIComponent(contoso)}">acct_contoso</a>`,
    );
    // The lead page of a member names its account and links back.
    const lead = await html(`/dashboard/leads/${encodeURIComponent(members[0]![1]!)}`);
    expect(lead).toContain(`<a class="account" href="/dashboard/accounts/${encodeURIComponent(id)}">acct_northwind</a>`);
    // The account left behind shows who left for where.
    const left = await html(`/dashboard/accounts/${encodeURIComponent(contoso)}`);
    expect(left).toContain('No members now.');
    expect(left).toMatch(/<li class="left">.*left for <a class="other" href="\/dashboard\/accounts\/[^"]+">Northwind Traders<\/a>/);
  });

  it('answers 404 for an unknown account and escapes what browsers sent', async () => {
    await start();
    expect((await page('/dashboard/accounts/no-such-account')).status).toBe(404);
    await collect([
      ...accountResearch('v_ada_0000001', clock.now(), '<b>acct</b>', { name: '<script>alert(1)</script>', note: '"quoted"' }),
      ...accountResearch('v_grace_000001', clock.now(), '<b>acct</b>'),
      ...accountResearch('v_linus_000001', clock.now(), '<b>acct</b>'),
    ]);
    const list = await html('/dashboard/accounts?level=hot,warm,cold');
    expect(list).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(list).toContain('&lt;b&gt;acct&lt;/b&gt; · example.com');
    expect(list).not.toContain('<script>alert(1)');
    const detail = await html(`/dashboard/accounts/${encodeURIComponent(await accountIdOf('<b>acct</b>'))}`);
    expect(detail).not.toContain('<b>acct</b>');
    expect(detail).toContain('<dt>note</dt><dd>&quot;quoted&quot;</dd>');
  });
});
