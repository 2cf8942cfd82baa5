// The leads list's store queries (searchLeads, getLeadFacets) and the lead-row columns they read (last seen, traits),
// as cases of the store contract: every Store runs them.
import { expect, it } from 'vitest';
import type { AnyEvent, IntentLevel, JsonObject } from '@inkling/core';
import type { Store } from '../src/index.js';
import type { InsertBatch, LeadSearch } from '../src/internals.js';
import { DAY_MS, SITE, bounce, eventAt } from './helpers.js';

const NOW = Date.parse('2026-03-02T10:00:00Z');

function batch(events: AnyEvent[], options: Partial<InsertBatch> = {}): InsertBatch {
  return {
    site: SITE,
    sentAt: new Date(NOW).toISOString(),
    receivedAt: NOW,
    bot: false,
    events: events.map((event) => ({ event, ts: Date.parse(event.ts), clamped: false })),
    ...options,
  };
}

function identify(visitor: string, userId: string, agoMs: number, traits?: JsonObject): AnyEvent {
  return eventAt('identify', visitor, NOW, agoMs, { props: traits ? { userId, traits } : { userId } });
}

const ALL: IntentLevel[] = ['hot', 'warm', 'cold'];

/** Registers the cases inside a `describeStoreContract` block; `store()` is that block's open store. */
export function describeLeadSearchContract(store: () => Store): void {
  const search = (q: Partial<LeadSearch> = {}) => store().searchLeads({ levels: ALL, sort: 'score', offset: 0, limit: 100, ...q });
  const found = async (text: string) => (await search({ text })).leads.map((l) => l.id).sort();
  const leadOf = async (visitor: string) => {
    const lead = (await store().listLeads({ limit: 100 })).find((l) => l.visitors.includes(visitor));
    if (!lead) throw new Error(`no lead for ${visitor}`);
    return lead.id;
  };

  let claimAt = NOW;
  /** Scores the dirty lead of `visitor` as given; `at` is when (a level change moves the lead's change time to it). */
  async function score(visitor: string, level: IntentLevel, points: number, topics: string[] = [], at = NOW): Promise<string> {
    const id = await leadOf(visitor);
    // Each claim a lease later than the last, so a lead claimed before and not saved is claimable again.
    claimAt += 120_000;
    const dirty = (await store().claimDirtyLeads(100, claimAt, 60_000)).find((l) => l.id === id);
    await store().saveScore({
      leadId: id,
      dirtySeq: dirty!.dirtySeq,
      score: points,
      level,
      reasons: [],
      topics: topics.map((name, i) => ({ name, reads: 1, minutes: 3, score: 40 - i })),
      model: 'm',
      scoredAt: at,
      messages: [],
      from: dirty!.level,
    });
    return id;
  }

  it('searches the lead id, the user id, visitor ids and identify traits, any case, taking % and _ literally', async () => {
    const traits = { name: 'Ada Lovelace', email: '[email]', company: 'Analytical Engines Ltd', plan: { tier: 'Gold' }, seats: 9876543 };
    await store().insertEvents(batch([...bounce('v_laptop_0001', NOW), identify('v_laptop_0001', 'user_ada_0001', 1000, traits)]));
    await store().insertEvents(batch(bounce('v_other_00001', NOW)));
    const ada = await leadOf('v_laptop_0001');
    const other = await leadOf('v_other_00001');
    expect(await found('LOVELACE')).toEqual([ada]);
    expect(await found('engines ltd')).toEqual([ada]);
    expect(await found('gold')).toEqual([ada]);
    expect(await found('9876543')).toEqual([ada]);
    expect(await found('USER_ADA')).toEqual([ada]);
    expect(await found('V_OTHER')).toEqual([other]);
    expect(await found(other.slice(-10).toUpperCase())).toEqual([other]);
    expect(await found('v_laptop')).toEqual([ada]);
    // Keys are not values; the pattern's own wildcards are plain characters.
    expect(await found('company')).toEqual([]);
    expect(await found('%')).toEqual([]);
    expect(await found('x_other')).toEqual([]);
    expect(await found('_other')).toEqual([other]);
    expect((await search({ text: 'lovelace' })).counts).toEqual({ hot: 0, warm: 0, cold: 1 });
    // The page carries the traits of the leads listed, as sent.
    expect((await search()).traits).toEqual({ [ada]: traits });
  });

  it("keeps the traits of the newest identify claiming the lead's own user, whatever order they arrive in", async () => {
    await store().insertEvents(batch([identify('v_laptop_0001', 'ada', 5000, { company: 'Acme' })]));
    await store().insertEvents(batch([identify('v_laptop_0001', 'ada', 1000, { company: 'Initech' })]));
    const ada = await leadOf('v_laptop_0001');
    expect(await found('initech')).toEqual([ada]);
    expect(await found('acme')).toEqual([]);
    // An older identify sent late (from an offline queue) does not replace newer traits.
    await store().insertEvents(batch([identify('v_laptop_0001', 'ada', 9000, { company: 'Globex' })]));
    expect(await found('globex')).toEqual([]);
    expect(await found('initech')).toEqual([ada]);
    // An identify without traits keeps the ones known.
    await store().insertEvents(batch([identify('v_laptop_0001', 'ada', 500)]));
    expect(await found('initech')).toEqual([ada]);
    // A claim to be someone else is only noted: its traits describe nobody on this lead.
    await store().insertEvents(batch([identify('v_grace_00001', 'grace', 5000)]));
    await store().insertEvents(batch([identify('v_laptop_0001', 'grace', 100, { company: 'Hooli' })]));
    expect(await found('hooli')).toEqual([]);
    expect(await found('initech')).toEqual([ada]);
  });

  it('moves the last-seen time and traits with a merge, an erasure and retention', async () => {
    await store().insertEvents(batch([identify('v_laptop_0001', 'ada', 2 * DAY_MS, { company: 'Acme' })]));
    const ada = await leadOf('v_laptop_0001');
    await store().insertEvents(batch([eventAt('page_view', 'v_phone_00001', NOW, 1000)]));
    // The phone's anonymous history joins Ada's lead: its later visit is her last seen.
    await store().insertEvents(batch([identify('v_phone_00001', 'ada', 3000)]));
    expect(await store().getLastSeen([ada])).toEqual({ [ada]: NOW - 1000 });
    expect(await found('acme')).toEqual([ada]);
    await store().insertEvents(batch([identify('v_phone_00001', 'ada', 500, { company: 'Initech' })]));
    expect(await found('initech')).toEqual([ada]);
    expect((await search({ sort: 'seen' })).lastSeen).toEqual({ [ada]: NOW - 500 });
    // Erasing the phone takes its traits and visits away: the laptop's are what is left.
    await store().erase(SITE, 'v_phone_00001');
    expect(await found('initech')).toEqual([]);
    expect(await found('acme')).toEqual([ada]);
    expect(await store().getLastSeen([ada])).toEqual({ [ada]: NOW - 2 * DAY_MS });
    expect(await found('v_phone')).toEqual([]);
    // Retention deletes the laptop's identify: its traits and last-seen time go with it; the lead stays, counted.
    await store().deleteEventsBefore(NOW - DAY_MS);
    expect(await found('acme')).toEqual([]);
    expect(await store().getLastSeen([ada])).toEqual({});
    expect(await search({ seenSince: NOW - 30 * DAY_MS })).toMatchObject({ leads: [], counts: { hot: 0, warm: 0, cold: 0 } });
    expect((await search()).counts).toEqual({ hot: 0, warm: 0, cold: 1 });
  });

  it('filters by level, site, topic and time seen, sorts three ways, pages, and counts every level over the other filters', async () => {
    await store().insertEvents(batch([eventAt('page_view', 'v_hot_000001', NOW, 3600_000)]));
    const a = await score('v_hot_000001', 'hot', 90, ['payroll'], NOW + 3);
    await store().insertEvents(batch([eventAt('page_view', 'v_warm_00001', NOW, 3 * DAY_MS)]));
    const b = await score('v_warm_00001', 'warm', 60, ['tax', 'audit', 'reconciliation', 'payroll'], NOW + 5);
    await store().insertEvents(batch([eventAt('page_view', 'v_cold_00001', NOW, 10 * DAY_MS)]));
    const c = await score('v_cold_00001', 'cold', 10);
    await store().insertEvents(batch([eventAt('page_view', 'v_away_00001', NOW, 7200_000)], { site: 'other.example' }));
    const d = await score('v_away_00001', 'warm', 70, ['payroll'], NOW + 2);

    const ids = async (q: Partial<LeadSearch>) => (await search(q)).leads.map((l) => l.id);
    expect(await search({ levels: ['hot', 'warm'] })).toMatchObject({ counts: { hot: 1, warm: 2, cold: 1 } });
    expect(await ids({ levels: ['hot', 'warm'] })).toEqual([a, d, b]);
    expect(await ids({ levels: ['cold'] })).toEqual([c]);
    expect(await ids({ levels: [] })).toEqual([]);
    expect(await ids({ site: SITE })).toEqual([a, b, c]);
    expect((await search({ site: SITE })).counts).toEqual({ hot: 1, warm: 1, cold: 1 });
    // A topic counts among a lead's three strongest only: b's fourth is left out.
    expect(await ids({ topic: 'payroll' })).toEqual([a, d]);
    expect(await ids({ topic: 'reconciliation' })).toEqual([b]);
    expect((await search({ topic: 'payroll' })).counts).toEqual({ hot: 1, warm: 1, cold: 0 });
    expect(await ids({ seenSince: NOW - 2 * DAY_MS })).toEqual([a, d]);
    expect((await search({ seenSince: NOW - 5 * DAY_MS, levels: ['cold'] })).counts).toEqual({ hot: 1, warm: 2, cold: 0 });
    expect(await ids({ sort: 'seen' })).toEqual([a, d, b, c]);
    expect(await ids({ sort: 'change' })).toEqual([b, a, d, c]);
    expect(await ids({ limit: 2 })).toEqual([a, d]);
    expect(await ids({ limit: 2, offset: 2 })).toEqual([b, c]);
    expect(await ids({ limit: 2, offset: 4 })).toEqual([]);
    // A text search (every visitor id here has "v_") counts, orders and pages its matches the same way.
    for (const sort of ['score', 'seen', 'change'] as const) {
      expect(await ids({ sort, text: 'V_' })).toEqual(await ids({ sort }));
      expect(await ids({ sort, text: 'v_', levels: ['warm', 'cold'], limit: 2, offset: 1 })).toEqual(
        await ids({ sort, levels: ['warm', 'cold'], limit: 2, offset: 1 }),
      );
    }
    expect((await search({ text: 'v_', site: SITE, levels: ['hot'] })).counts).toEqual({ hot: 1, warm: 1, cold: 1 });
    expect(await search({ text: 'v_', levels: [] })).toMatchObject({ leads: [], counts: { hot: 1, warm: 2, cold: 1 } });
    expect((await search({ limit: 2, offset: 2 })).lastSeen).toEqual({ [b]: NOW - 3 * DAY_MS, [c]: NOW - 10 * DAY_MS });

    expect(await store().getLeadFacets()).toEqual({
      sites: [SITE, 'other.example'],
      topics: ['audit', 'payroll', 'reconciliation', 'tax'],
    });
    expect(await store().getLeadFacets({ site: 'other.example' })).toEqual({ sites: [SITE, 'other.example'], topics: ['payroll'] });
  });

  it('breaks ties in every order by score, then lead id', async () => {
    for (const visitor of ['v_tie_000001', 'v_tie_000002', 'v_tie_000003']) {
      await store().insertEvents(batch([eventAt('page_view', visitor, NOW, 60_000)]));
    }
    const [x, y, z] = [await leadOf('v_tie_000001'), await leadOf('v_tie_000002'), await leadOf('v_tie_000003')];
    await score('v_tie_000002', 'cold', 5);
    const byId = [x, z].sort();
    for (const sort of ['score', 'seen', 'change'] as const) {
      expect((await search({ sort })).leads.map((l) => l.id)).toEqual([y, ...byId]);
      expect((await search({ sort, text: 'v_tie' })).leads.map((l) => l.id)).toEqual([y, ...byId]);
    }
  });
}
