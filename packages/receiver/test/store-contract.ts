// The behaviour every Store must have, as a suite any implementation runs (SQLite and PostgreSQL here; yours too).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AnyEvent, Profile } from '@inkling/core';
import type { Store } from '../src/index.js';
import type { InsertBatch, LeadProfile, NewMessage } from '../src/internals.js';
import { MAX_MOVES_PER_LEAD } from '../src/store/accounts.js';
import { MAX_NOTES_PER_LEAD } from '../src/store/identity.js';
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

function identify(visitor: string, userId: string, agoMs = 1000): AnyEvent {
  return eventAt('identify', visitor, NOW, agoMs, { props: { userId } });
}

function message(leadId: string, id: string, endpoint = 'https://hooks.example.com/a'): NewMessage {
  return { id, endpoint, type: 'lead.warm', payload: '{}', leadId, site: SITE, createdAt: NOW, nextAttemptAt: NOW };
}

export function describeStoreContract(name: string, open: () => Promise<Store>): void {
  describe(`${name} store contract`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    async function leadOf(visitor: string): Promise<string> {
      const [lead] = (await store.listLeads({ limit: 100 })).filter((l) => l.visitors.includes(visitor));
      if (!lead) throw new Error(`no lead for ${visitor}`);
      return lead.id;
    }

    it('dedupes on (site, event id) and counts the duplicates', async () => {
      const events = bounce('v_visitor_0001', NOW);
      expect(await store.insertEvents(batch(events))).toMatchObject({ accepted: 1, duplicates: 0 });
      expect(await store.insertEvents(batch(events))).toMatchObject({ accepted: 0, duplicates: 1 });
      expect(await store.insertEvents(batch(events, { site: 'other.example' }))).toMatchObject({ accepted: 1, duplicates: 0 });
      expect(await store.countEvents()).toBe(2);
      expect(await store.countEvents({ site: SITE })).toBe(1);
    });

    it('stores raw and corrected times, and the event as sent', async () => {
      const [event] = bounce('v_visitor_0001', NOW);
      await store.insertEvents({ ...batch([event!]), events: [{ event: event!, ts: NOW - 5, clamped: true }] });
      const [stored] = await store.listEvents({ limit: 1 });
      expect(stored).toMatchObject({ ts: NOW - 5, rawTs: event!.ts, clamped: true, bot: false, receivedAt: NOW, event });
    });

    it('stores bot events flagged without creating a lead', async () => {
      await store.insertEvents(batch(bounce('v_crawler_001', NOW), { bot: true }));
      expect((await store.listEvents({ limit: 10 }))[0]?.bot).toBe(true);
      expect(await store.listLeads({ limit: 10 })).toEqual([]);
    });

    it('counts bot events apart from the others, per site', async () => {
      await store.insertEvents(batch(bounce('v_crawler_001', NOW), { bot: true }));
      await store.insertEvents(
        batch([...bounce('v_crawler_002', NOW), ...bounce('v_crawler_003', NOW)], { bot: true, site: 'other.example' }),
      );
      await store.insertEvents(batch(bounce('v_person_0001', NOW)));
      expect(await store.countEvents({ bot: true })).toBe(3);
      expect(await store.countEvents({ bot: false })).toBe(1);
      expect(await store.countEvents({ site: SITE, bot: true })).toBe(1);
      expect(await store.countEvents({ site: 'other.example', bot: false })).toBe(0);
    });

    it('gives the newest non-bot event time of each lead', async () => {
      await store.insertEvents(
        batch([eventAt('page_view', 'v_early_0001', NOW, 5 * DAY_MS), eventAt('page_view', 'v_early_0001', NOW, 2 * DAY_MS)]),
      );
      await store.insertEvents(batch([eventAt('page_view', 'v_late_00001', NOW, 1000)]));
      const early = await leadOf('v_early_0001');
      const late = await leadOf('v_late_00001');
      expect(await store.getLastSeen([early, late, 'no-such-lead'])).toEqual({ [early]: NOW - 2 * DAY_MS, [late]: NOW - 1000 });
      expect(await store.getLastSeen([])).toEqual({});
    });

    it('makes an anonymous lead per visitor, and identify names it', async () => {
      await store.insertEvents(batch(bounce('v_visitor_0001', NOW)));
      const id = await leadOf('v_visitor_0001');
      expect((await store.getLead(id))?.userId).toBeNull();
      await store.insertEvents(batch([identify('v_visitor_0001', 'ada@example.com')]));
      expect(await store.getLead(id)).toMatchObject({ userId: 'ada@example.com', visitors: ['v_visitor_0001'] });
    });

    it('joins an anonymous history to the known lead on the first link', async () => {
      await store.insertEvents(batch([...bounce('v_laptop_0001', NOW), identify('v_laptop_0001', 'ada')]));
      const known = await leadOf('v_laptop_0001');
      await store.insertEvents(batch(bounce('v_phone_00001', NOW)));
      const anonymous = await leadOf('v_phone_00001');
      await store.insertEvents(batch([identify('v_phone_00001', 'ada', 500)]));
      expect(await store.getLead(anonymous)).toBeUndefined();
      expect((await store.getLead(known))?.visitors).toEqual(['v_laptop_0001', 'v_phone_00001']);
      expect((await store.getLeadEvents(known)).map((e) => e.visitor).sort()).toEqual([
        'v_laptop_0001',
        'v_laptop_0001',
        'v_phone_00001',
        'v_phone_00001',
      ]);
    });

    it('never re-links or merges a visitor of one known user who claims another', async () => {
      await store.insertEvents(batch([identify('v_shared_0001', 'ada')]));
      await store.insertEvents(batch([identify('v_other_00001', 'grace')]));
      const ada = await leadOf('v_shared_0001');
      const grace = await leadOf('v_other_00001');
      await store.insertEvents(batch([identify('v_shared_0001', 'grace', 10)]));
      expect(await store.getLead(ada)).toMatchObject({ userId: 'ada', visitors: ['v_shared_0001'] });
      expect(await store.getLead(grace)).toMatchObject({ userId: 'grace', visitors: ['v_other_00001'] });
      const notes = await store.getLeadNotes(ada);
      expect(notes.map((n) => n.kind)).toEqual(['identified', 'identity_conflict']);
      expect(notes[1]?.text).toBe('visitor v_shared_0001 claimed to be grace; kept as ada');
    });

    it('links a new visitor whose first event claims a known user straight to that lead', async () => {
      await store.insertEvents(batch([identify('v_laptop_0001', 'ada')]));
      await store.insertEvents(batch([identify('v_tablet_0001', 'ada')]));
      expect(await store.listLeads({ limit: 10 })).toHaveLength(1);
      expect((await store.getLead(await leadOf('v_tablet_0001')))?.visitors).toEqual(['v_laptop_0001', 'v_tablet_0001']);
    });

    it('claims dirty leads once, and keeps a lead dirty when events arrive while it is scored', async () => {
      await store.insertEvents(batch(bounce('v_visitor_0001', NOW)));
      const [claimed] = await store.claimDirtyLeads(10, NOW, 60_000);
      expect(claimed).toBeDefined();
      expect(await store.claimDirtyLeads(10, NOW, 60_000)).toEqual([]);
      await store.insertEvents(batch([eventAt('page_view', 'v_visitor_0001', NOW, 10)]));
      await store.saveScore({
        leadId: claimed!.id,
        dirtySeq: claimed!.dirtySeq,
        score: 1,
        level: 'cold',
        reasons: [],
        model: 'm',
        scoredAt: NOW,
        messages: [],
        from: claimed!.level,
      });
      const [again] = await store.claimDirtyLeads(10, NOW, 60_000);
      expect(again?.id).toBe(claimed!.id);
      await store.saveScore({
        leadId: again!.id,
        dirtySeq: again!.dirtySeq,
        score: 2,
        level: 'cold',
        reasons: [],
        model: 'm',
        scoredAt: NOW,
        messages: [],
        from: again!.level,
      });
      expect(await store.claimDirtyLeads(10, NOW, 60_000)).toEqual([]);
    });

    it('lets another worker claim a lead after the lease expires', async () => {
      await store.insertEvents(batch(bounce('v_visitor_0001', NOW)));
      expect(await store.claimDirtyLeads(10, NOW, 60_000)).toHaveLength(1);
      expect(await store.claimDirtyLeads(10, NOW + 60_000, 60_000)).toHaveLength(1);
    });

    it('saves a level change with its messages, and moves the old level to previous', async () => {
      await store.insertEvents(batch(bounce('v_visitor_0001', NOW)));
      const [dirty] = await store.claimDirtyLeads(10, NOW, 60_000);
      await store.saveScore({
        leadId: dirty!.id,
        dirtySeq: dirty!.dirtySeq,
        score: 60,
        level: 'warm',
        reasons: ['viewed pricing twice'],
        model: 'm1',
        scoredAt: NOW,
        messages: [message(dirty!.id, 'msg_1')],
        from: dirty!.level,
      });
      expect(await store.getLead(dirty!.id)).toMatchObject({
        score: 60,
        level: 'warm',
        previous: 'cold',
        reasons: ['viewed pricing twice'],
        model: 'm1',
        scoredAt: NOW,
      });
      expect(await store.listMessages({ leadId: dirty!.id })).toMatchObject([{ id: 'msg_1', status: 'pending', attempts: 0 }]);
    });

    it('saves the topics with the score and returns them on every lead, [] before the first score', async () => {
      await store.insertEvents(batch(bounce('v_visitor_0001', NOW)));
      const [dirty] = await store.claimDirtyLeads(10, NOW, 60_000);
      expect(await store.getLead(dirty!.id)).toMatchObject({ topics: [] });
      const topics = [
        { name: 'reconciliation', reads: 2, minutes: 9, score: 16 },
        { name: 'payroll', reads: 1, minutes: 4, score: 8 },
      ];
      await store.saveScore({
        leadId: dirty!.id,
        dirtySeq: dirty!.dirtySeq,
        score: 60,
        level: 'warm',
        reasons: ['read 2 articles on reconciliation (9 min)'],
        topics,
        model: 'm',
        scoredAt: NOW,
        messages: [],
        from: dirty!.level,
      });
      expect((await store.getLead(dirty!.id))?.topics).toEqual(topics);
      expect((await store.listLeads({ limit: 10 }))[0]?.topics).toEqual(topics);
    });

    it('lists only leads with the topic among their three strongest', async () => {
      const topic = (name: string, score: number) => ({ name, reads: 1, minutes: 3, score });
      const saved: Record<string, string> = {};
      for (const [visitor, names] of [
        ['v_visitor_0001', ['payroll', 'tax']],
        ['v_visitor_0002', ['reconciliation', 'audit', 'tax', 'payroll']],
        ['v_visitor_0003', []],
      ] as const) {
        await store.insertEvents(batch(bounce(visitor, NOW)));
        const [dirty] = await store.claimDirtyLeads(10, NOW, 60_000);
        saved[visitor] = dirty!.id;
        await store.saveScore({
          leadId: dirty!.id,
          dirtySeq: dirty!.dirtySeq,
          score: 10,
          level: 'cold',
          reasons: [],
          topics: names.map((n, i) => topic(n, 40 - i)),
          model: 'm',
          scoredAt: NOW,
          messages: [],
          from: dirty!.level,
        });
      }
      const ids = async (name: string) => (await store.listLeads({ limit: 10, topic: name })).map((l) => l.id).sort();
      expect(await ids('payroll')).toEqual([saved['v_visitor_0001']]);
      expect(await ids('tax')).toEqual([saved['v_visitor_0001'], saved['v_visitor_0002']].sort());
      expect(await ids('audit')).toEqual([saved['v_visitor_0002']]);
      expect(await ids('pricing')).toEqual([]);
    });

    it('enqueues signals on any save that applies, level change or not, and each id once per endpoint', async () => {
      await store.insertEvents(batch(bounce('v_visitor_0001', NOW)));
      const [first] = await store.claimDirtyLeads(10, NOW, 60_000);
      const signal = { ...message(first!.id, 'msg_conversion_1'), type: 'lead.converted' };
      await store.saveScore({
        leadId: first!.id,
        dirtySeq: first!.dirtySeq,
        score: 1,
        level: 'cold',
        reasons: [],
        model: 'm',
        scoredAt: NOW,
        messages: [],
        signals: [signal],
        from: first!.level,
      });
      await store.insertEvents(batch([eventAt('page_view', 'v_visitor_0001', NOW, 10)]));
      const [again] = await store.claimDirtyLeads(10, NOW, 60_000);
      await store.saveScore({
        leadId: again!.id,
        dirtySeq: again!.dirtySeq,
        score: 2,
        level: 'cold',
        reasons: [],
        model: 'm',
        scoredAt: NOW,
        messages: [],
        signals: [signal, { ...signal, endpoint: 'https://hooks.example.com/b' }],
        from: again!.level,
      });
      expect((await store.listMessages({ leadId: first!.id })).map((m) => [m.id, m.endpoint, m.type])).toEqual([
        ['msg_conversion_1', 'https://hooks.example.com/a', 'lead.converted'],
        ['msg_conversion_1', 'https://hooks.example.com/b', 'lead.converted'],
      ]);
    });

    it.each([
      ['with', true],
      ['without', false],
    ])(
      'does not save a newer score computed from a level the lead has left (%s webhooks), and scores it again from the current level',
      async (_, webhooks) => {
        // Receiver B claims, stalls past its lease; an event arrives; A claims the newer state (still cold); B then
        // saves warm. A's hot was computed from cold: saved, its webhook would say "previous: cold" and skip warm.
        // Not saved, the lead is still dirty (B scored an older state) and is scored again, from warm.
        await store.insertEvents(batch(bounce('v_visitor_0001', NOW)));
        const [b] = await store.claimDirtyLeads(10, NOW, 60_000);
        await store.insertEvents(batch([eventAt('page_view', 'v_visitor_0001', NOW, 10)]));
        const [a] = await store.claimDirtyLeads(10, NOW + 60_000, 60_000);
        expect(a).toMatchObject({ id: b!.id, level: 'cold' });
        const save = (claim: typeof a, score: number, level: 'warm' | 'hot', id: string) =>
          store.saveScore({
            leadId: claim!.id,
            dirtySeq: claim!.dirtySeq,
            score,
            level,
            reasons: [],
            model: 'm',
            scoredAt: NOW,
            messages: webhooks ? [message(claim!.id, id)] : [],
            from: claim!.level,
          });
        const sent = async () => (await store.listMessages({ leadId: a!.id })).map((m) => m.id).sort();
        await save(b, 60, 'warm', 'msg_b');
        await save(a, 85, 'hot', 'msg_a');
        expect(await store.getLead(a!.id)).toMatchObject({ score: 60, level: 'warm', previous: 'cold' });
        expect(await sent()).toEqual(webhooks ? ['msg_b'] : []);
        const [again] = await store.claimDirtyLeads(10, NOW + 60_000, 60_000);
        expect(again).toMatchObject({ id: a!.id, level: 'warm' });
        await save(again, 85, 'hot', 'msg_again');
        expect(await store.getLead(a!.id)).toMatchObject({ score: 85, level: 'hot', previous: 'warm' });
        expect(await sent()).toEqual(webhooks ? ['msg_again', 'msg_b'] : []);
        expect(await store.claimDirtyLeads(10, NOW + 60_000, 60_000)).toEqual([]);
      },
    );

    it('does not overwrite a newer score with one computed from an older state at the same level', async () => {
      // Worker B claims, stalls past its lease; an event arrives; A claims and saves the newer state; B saves last.
      await store.insertEvents(batch(bounce('v_visitor_0001', NOW)));
      const [b] = await store.claimDirtyLeads(10, NOW, 60_000);
      await store.insertEvents(batch([eventAt('page_view', 'v_visitor_0001', NOW, 10)]));
      const [a] = await store.claimDirtyLeads(10, NOW + 60_000, 60_000);
      const save = (claim: typeof a, score: number) =>
        store.saveScore({
          leadId: claim!.id,
          dirtySeq: claim!.dirtySeq,
          score,
          level: 'cold',
          reasons: [`score ${score}`],
          model: 'm',
          scoredAt: NOW,
          messages: [],
          from: claim!.level,
        });
      await save(a, 20);
      await save(b, 10);
      expect(await store.getLead(a!.id)).toMatchObject({ score: 20, reasons: ['score 20'] });
      expect(await store.claimDirtyLeads(10, NOW + 60_000, 60_000)).toEqual([]);
    });

    it('refuses a message status outside pending, delivered, failed and disabled, and keeps the message as it was', async () => {
      await store.insertEvents(batch(bounce('v_visitor_0001', NOW)));
      const [dirty] = await store.claimDirtyLeads(10, NOW, 60_000);
      await store.saveScore({
        leadId: dirty!.id,
        dirtySeq: dirty!.dirtySeq,
        score: 60,
        level: 'warm',
        reasons: [],
        model: 'm',
        scoredAt: NOW,
        messages: [message(dirty!.id, 'msg_1')],
        from: dirty!.level,
      });
      const outcome = { status: 'sent' as 'delivered', attempts: 1, nextAttemptAt: NOW, lastStatus: 200, lastError: null, at: NOW };
      await expect(store.recordAttempt('msg_1', 'https://hooks.example.com/a', outcome)).rejects.toThrow(/CHECK|check/);
      expect(await store.listMessages()).toMatchObject([{ id: 'msg_1', status: 'pending', attempts: 0 }]);
    });

    it('filters messages by lead and status together', async () => {
      const ids: string[] = [];
      for (const visitor of ['v_visitor_0001', 'v_visitor_0002']) {
        await store.insertEvents(batch(bounce(visitor, NOW)));
        const [dirty] = await store.claimDirtyLeads(1, NOW, 60_000);
        const messages = [message(dirty!.id, `msg_${visitor}_a`), message(dirty!.id, `msg_${visitor}_b`, 'https://hooks.example.com/b')];
        await store.saveScore({
          leadId: dirty!.id,
          dirtySeq: dirty!.dirtySeq,
          score: 60,
          level: 'warm',
          reasons: [],
          model: 'm',
          scoredAt: NOW,
          messages,
          from: dirty!.level,
        });
        ids.push(dirty!.id);
      }
      await store.recordAttempt('msg_v_visitor_0001_a', 'https://hooks.example.com/a', {
        status: 'delivered',
        attempts: 1,
        nextAttemptAt: NOW,
        lastStatus: 200,
        lastError: null,
        at: NOW,
      });
      expect((await store.listMessages({ leadId: ids[0]!, status: 'pending' })).map((m) => m.id)).toEqual(['msg_v_visitor_0001_b']);
      expect((await store.listMessages({ status: 'delivered' })).map((m) => m.id)).toEqual(['msg_v_visitor_0001_a']);
      expect(await store.listMessages({ leadId: ids[1]!, status: 'delivered' })).toEqual([]);
    });

    it(`keeps a lead's newest ${MAX_NOTES_PER_LEAD} identity notes when one visitor claims 2,000 user ids, and counts the dropped ones`, async () => {
      await store.insertEvents(batch([identify('v_cycling_001', 'user_0000', 3_000_000)]));
      for (let page = 0; page < 20; page++) {
        const claims = Array.from({ length: 100 }, (_, i) => page * 100 + i).filter((n) => n > 0);
        await store.insertEvents(
          batch(claims.map((n) => identify('v_cycling_001', `user_${String(n).padStart(4, '0')}`, 3_000_000 - n * 1000))),
        );
      }
      const id = await leadOf('v_cycling_001');
      const notes = await store.getLeadNotes(id);
      expect(notes).toHaveLength(MAX_NOTES_PER_LEAD);
      expect(notes[0]?.text).toBe(`visitor v_cycling_001 claimed to be user_${1999 - MAX_NOTES_PER_LEAD + 1}; kept as user_0000`);
      expect(notes.at(-1)?.text).toBe('visitor v_cycling_001 claimed to be user_1999; kept as user_0000');
      expect(await store.getLead(id)).toMatchObject({ userId: 'user_0000', notesDropped: 2000 - MAX_NOTES_PER_LEAD });
    }, 60_000);

    it('pages identity notes back in time: the newest before a time, oldest first', async () => {
      const devices = ['v_device_0001', 'v_device_0002', 'v_device_0003', 'v_device_0004', 'v_device_0005'];
      for (const [i, visitor] of devices.entries()) await store.insertEvents(batch([identify(visitor, 'ada', 5000 - i * 1000)]));
      const id = await leadOf('v_device_0001');
      const all = await store.getLeadNotes(id);
      expect(all.map((n) => n.at)).toEqual([NOW - 5000, NOW - 4000, NOW - 3000, NOW - 2000, NOW - 1000]);
      expect(await store.getLeadNotes(id, { limit: 2 })).toEqual(all.slice(3));
      expect(await store.getLeadNotes(id, { before: NOW - 2000, limit: 2 })).toEqual(all.slice(1, 3));
      expect(await store.getLeadNotes(id, { before: NOW - 4000 })).toEqual(all.slice(0, 1));
    });

    it('claims due messages once, records attempts, and disables an endpoint', async () => {
      await store.insertEvents(batch(bounce('v_visitor_0001', NOW)));
      const [dirty] = await store.claimDirtyLeads(10, NOW, 60_000);
      const messages = [message(dirty!.id, 'msg_1'), message(dirty!.id, 'msg_1', 'https://hooks.example.com/b')];
      await store.saveScore({
        leadId: dirty!.id,
        dirtySeq: dirty!.dirtySeq,
        score: 60,
        level: 'warm',
        reasons: [],
        model: 'm',
        scoredAt: NOW,
        messages,
        from: dirty!.level,
      });
      const due = await store.claimDueMessages(NOW, 10, 30_000);
      expect(due).toHaveLength(2);
      expect(await store.claimDueMessages(NOW, 10, 30_000)).toEqual([]);
      await store.recordAttempt('msg_1', 'https://hooks.example.com/a', {
        status: 'pending',
        attempts: 1,
        nextAttemptAt: NOW + 5000,
        lastStatus: 500,
        lastError: 'endpoint answered 500',
        at: NOW,
      });
      expect(await store.claimDueMessages(NOW + 4999, 10, 30_000)).toEqual([]);
      expect(await store.claimDueMessages(NOW + 5000, 10, 30_000)).toMatchObject([{ id: 'msg_1', attempts: 1, lastStatus: 500 }]);
      await store.disableEndpoint('https://hooks.example.com/a', 'answered 410 Gone', NOW);
      expect(await store.getDisabledEndpoints()).toEqual(['https://hooks.example.com/a']);
      expect((await store.listMessages({ status: 'disabled' })).map((m) => m.endpoint)).toEqual(['https://hooks.example.com/a']);
      await store.enableEndpoint('https://hooks.example.com/a');
      expect(await store.getDisabledEndpoints()).toEqual([]);
    });

    it('pages leads by score then id, filtered by level', async () => {
      const levels = ['cold', 'warm', 'hot', 'warm', 'cold'] as const;
      for (const [i, level] of levels.entries()) {
        await store.insertEvents(batch(bounce(`v_visitor_000${i}`, NOW)));
        const [dirty] = await store.claimDirtyLeads(1, NOW, 60_000);
        await store.saveScore({
          leadId: dirty!.id,
          dirtySeq: dirty!.dirtySeq,
          score: [10, 55, 90, 60, 20][i]!,
          level,
          reasons: [],
          model: 'm',
          scoredAt: NOW,
          messages: [],
          from: dirty!.level,
        });
      }
      const first = await store.listLeads({ limit: 2 });
      expect(first.map((l) => l.score)).toEqual([90, 60]);
      const second = await store.listLeads({ limit: 2, after: { score: 60, id: first[1]!.id } });
      expect(second.map((l) => l.score)).toEqual([55, 20]);
      expect((await store.listLeads({ limit: 10, levels: ['warm'] })).map((l) => l.score)).toEqual([60, 55]);
    });

    it('marks warm and hot leads scored long ago for a re-score', async () => {
      await store.insertEvents(batch(bounce('v_visitor_0001', NOW)));
      const [dirty] = await store.claimDirtyLeads(1, NOW, 60_000);
      await store.saveScore({
        leadId: dirty!.id,
        dirtySeq: dirty!.dirtySeq,
        score: 60,
        level: 'warm',
        reasons: [],
        model: 'm',
        scoredAt: NOW,
        messages: [],
        from: dirty!.level,
      });
      expect(await store.markStaleLeads(['warm', 'hot'], NOW)).toBe(0);
      expect(await store.markStaleLeads(['warm', 'hot'], NOW + 1)).toBe(1);
      expect(await store.claimDirtyLeads(1, NOW, 60_000)).toHaveLength(1);
    });

    it('erases a visitor: events, lead and its messages', async () => {
      await store.insertEvents(batch([...bounce('v_leaving_001', NOW), identify('v_leaving_001', 'ada')]));
      await store.insertEvents(batch(bounce('v_staying_001', NOW)));
      const id = await leadOf('v_leaving_001');
      const dirty = (await store.claimDirtyLeads(10, NOW, 60_000)).find((l) => l.id === id);
      await store.saveScore({
        leadId: id,
        dirtySeq: dirty!.dirtySeq,
        score: 60,
        level: 'warm',
        reasons: [],
        model: 'm',
        scoredAt: NOW,
        messages: [message(id, 'msg_1')],
        from: dirty!.level,
      });
      expect(await store.erase(SITE, 'v_leaving_001')).toEqual({ events: 2, leads: 1, messages: 1 });
      expect(await store.getLead(id)).toBeUndefined();
      expect(await store.listMessages()).toEqual([]);
      expect((await store.listEvents({ limit: 10 })).map((e) => e.visitor)).toEqual(['v_staying_001']);
      expect(await store.getLeadNotes(id)).toEqual([]);
    });

    it('erases one device of a known user: the lead stays, is re-scored, and loses its pending messages', async () => {
      await store.insertEvents(batch([identify('v_laptop_0001', 'ada'), identify('v_phone_00001', 'ada')]));
      const id = await leadOf('v_laptop_0001');
      const [dirty] = await store.claimDirtyLeads(10, NOW, 60_000);
      await store.saveScore({
        leadId: id,
        dirtySeq: dirty!.dirtySeq,
        score: 60,
        level: 'warm',
        reasons: [],
        model: 'm',
        scoredAt: NOW,
        messages: [message(id, 'msg_1')],
        from: dirty!.level,
      });
      expect(await store.erase(SITE, 'v_phone_00001')).toEqual({ events: 1, leads: 0, messages: 1 });
      expect((await store.getLead(id))?.visitors).toEqual(['v_laptop_0001']);
      expect((await store.claimDirtyLeads(10, NOW, 60_000)).map((l) => l.id)).toEqual([id]);
    });

    it('deletes old events and re-scores their leads; forgets old dedupe keys', async () => {
      const old = eventAt('page_view', 'v_visitor_0001', NOW, 40 * DAY_MS);
      const recent = eventAt('page_view', 'v_visitor_0001', NOW, DAY_MS);
      await store.insertEvents(batch([old, recent]));
      const [dirty] = await store.claimDirtyLeads(10, NOW, 60_000);
      await store.saveScore({
        leadId: dirty!.id,
        dirtySeq: dirty!.dirtySeq,
        score: 2,
        level: 'cold',
        reasons: [],
        model: 'm',
        scoredAt: NOW,
        messages: [],
        from: dirty!.level,
      });
      expect(await store.deleteEventsBefore(NOW - 30 * DAY_MS)).toBe(1);
      expect((await store.listEvents({ limit: 10 })).map((e) => e.id)).toEqual([recent.id]);
      expect(await store.claimDirtyLeads(10, NOW, 60_000)).toHaveLength(1);
      // The dedupe key outlives the event until its own window passes.
      expect((await store.insertEvents(batch([old]))).duplicates).toBe(1);
      expect(await store.deleteDedupeKeysBefore(NOW + 1)).toBe(2);
      // A stored event is still never stored twice once its key has gone.
      expect((await store.insertEvents(batch([recent]))).duplicates).toBe(1);
      expect((await store.insertEvents(batch([old]))).accepted).toBe(1);
    });

    it('records one outcome per lead, the latest replacing the earlier, and none for a lead that does not exist', async () => {
      await store.insertEvents(batch([identify('v_buyer_00001', 'Ada@Example.com')]));
      const id = await leadOf('v_buyer_00001');
      expect(
        await store.recordOutcome({ leadId: 'no-such-lead', outcome: 'converted', at: NOW, source: 'api', recordedAt: NOW }),
      ).toBeUndefined();
      await store.recordOutcome({ leadId: id, outcome: 'lost', at: NOW - DAY_MS, note: 'no budget', source: 'import', recordedAt: NOW });
      const won = await store.recordOutcome({
        leadId: id,
        outcome: 'converted',
        at: NOW,
        value: 1200.5,
        source: 'api',
        recordedAt: NOW + 1,
      });
      const expected = {
        leadId: id,
        site: SITE,
        outcome: 'converted',
        at: NOW,
        value: 1200.5,
        note: null,
        source: 'api',
        recordedAt: NOW + 1,
      };
      expect(won).toEqual(expected);
      expect(await store.listOutcomes()).toEqual([expected]);
      expect(await store.listOutcomes({ site: 'other.example' })).toEqual([]);
    });

    it('finds leads by user id, exactly or ignoring case', async () => {
      await store.insertEvents(batch([identify('v_buyer_00001', 'Ada@Example.com')]));
      const id = await leadOf('v_buyer_00001');
      expect((await store.findLeadsByUser('ada@example.com')).map((l) => l.id)).toEqual([]);
      expect((await store.findLeadsByUser('ada@example.com', { ignoreCase: true })).map((l) => l.id)).toEqual([id]);
      expect((await store.findLeadsByUser('Ada@Example.com', { site: 'other.example' })).map((l) => l.id)).toEqual([]);
    });

    it("moves an anonymous lead's outcome to the known lead it joins", async () => {
      await store.insertEvents(batch([identify('v_laptop_0001', 'ada')]));
      await store.insertEvents(batch(bounce('v_phone_00001', NOW)));
      const anonymous = await leadOf('v_phone_00001');
      await store.recordOutcome({ leadId: anonymous, outcome: 'converted', at: NOW, source: 'api', recordedAt: NOW });
      await store.insertEvents(batch([identify('v_phone_00001', 'ada', 10)]));
      const known = await leadOf('v_laptop_0001');
      expect((await store.listOutcomes()).map((o) => o.leadId)).toEqual([known]);
    });

    it("erases a lead's outcome with the lead, and deletes outcomes past retention", async () => {
      await store.insertEvents(batch([identify('v_leaving_001', 'ada'), identify('v_staying_001', 'bob')]));
      const leaving = await leadOf('v_leaving_001');
      const staying = await leadOf('v_staying_001');
      await store.recordOutcome({ leadId: leaving, outcome: 'converted', at: NOW, source: 'api', recordedAt: NOW });
      await store.recordOutcome({ leadId: staying, outcome: 'lost', at: NOW - 40 * DAY_MS, source: 'api', recordedAt: NOW });
      await store.erase(SITE, 'v_leaving_001');
      expect((await store.listOutcomes()).map((o) => o.leadId)).toEqual([staying]);
      expect(await store.deleteOutcomesBefore(NOW - 30 * DAY_MS)).toBe(1);
      expect(await store.listOutcomes()).toEqual([]);
    });

    describe('profile snapshots', () => {
      const PROFILE: Profile = { v: 1, d: { '20500': { 'p:pricing': 2 } } };

      /** Claims the lead and saves a score with a snapshot that folds every pending event; what it saved. */
      let claimAt = NOW;
      async function scoreAll(id: string, profile: Profile = PROFILE): Promise<LeadProfile> {
        // Each claim after the last one's lease: a lead claimed along with another is claimed again here.
        claimAt += 120_000;
        const dirty = (await store.claimDirtyLeads(10, claimAt, 60_000)).find((l) => l.id === id)!;
        const stored = (await store.getLeadProfile(id))!;
        const update = {
          generation: stored.generation,
          profile,
          model: 'm#1',
          seq: Math.max(0, ...stored.pending),
          rebuild: null,
          folded: stored.pending,
        };
        await store.saveScore({
          leadId: id,
          dirtySeq: dirty.dirtySeq,
          score: 1,
          level: 'cold',
          reasons: [],
          model: 'm',
          scoredAt: NOW,
          messages: [],
          from: dirty.level,
          profile: update,
        });
        return stored;
      }

      it("lists the seqs of a batch's new events as pending on their lead, never a duplicate or a bot event", async () => {
        const events = bounce('v_visitor_0001', NOW);
        await store.insertEvents(batch(events));
        await store.insertEvents(batch(events));
        await store.insertEvents(batch(bounce('v_visitor_0001', NOW), { bot: true }));
        const id = await leadOf('v_visitor_0001');
        const stored = await store.getLeadProfile(id);
        const seqs = (await store.listEvents({ limit: 10 })).filter((e) => !e.bot).map((e) => e.seq);
        expect(stored).toEqual({ profile: null, model: null, seq: 0, rebuild: null, pending: seqs, generation: 0 });
        expect((await store.getProfileEvents(id, { seqs })).map((e) => e.id)).toEqual(events.map((e) => e.id));
      });

      it('saves a snapshot with its score and takes the folded events off the pending list, keeping newer ones', async () => {
        await store.insertEvents(batch(bounce('v_visitor_0001', NOW)));
        const id = await leadOf('v_visitor_0001');
        const dirty = (await store.claimDirtyLeads(10, NOW, 60_000))[0]!;
        const read = (await store.getLeadProfile(id))!;
        // A batch stored while the lead is scored stays pending.
        await store.insertEvents(batch([eventAt('page_view', 'v_visitor_0001', NOW, 10)]));
        const newer = (await store.getLeadProfile(id))!.pending.filter((seq) => !read.pending.includes(seq));
        expect(newer).toHaveLength(1);
        const update = {
          generation: read.generation,
          profile: PROFILE,
          model: 'm#1',
          seq: read.pending[0]!,
          rebuild: null,
          folded: read.pending,
        };
        await store.saveScore({
          leadId: id,
          dirtySeq: dirty.dirtySeq,
          score: 1,
          level: 'cold',
          reasons: [],
          model: 'm',
          scoredAt: NOW,
          messages: [],
          from: dirty.level,
          profile: update,
        });
        expect(await store.getLeadProfile(id)).toEqual({
          profile: PROFILE,
          model: 'm#1',
          seq: read.pending[0],
          rebuild: null,
          pending: newer,
          generation: read.generation,
        });
      });

      it('pages a rebuild visitor by visitor and by seq, leaving out the pending events', async () => {
        await store.insertEvents(
          batch([
            identify('v_laptop_0001', 'ada', 5000),
            eventAt('page_view', 'v_laptop_0001', NOW, 4000),
            eventAt('page_view', 'v_laptop_0001', NOW, 3000),
          ]),
        );
        await store.insertEvents(batch([identify('v_phone_00001', 'ada', 2000), eventAt('page_view', 'v_phone_00001', NOW, 1000)]));
        const id = await leadOf('v_laptop_0001');
        await scoreAll(id);
        const pendingEvent = eventAt('page_view', 'v_laptop_0001', NOW, 500);
        await store.insertEvents(batch([pendingEvent]));
        const pages: string[][] = [];
        let after = { visitor: '', seq: 0 };
        for (;;) {
          const page = await store.getProfileEvents(id, { after, limit: 2 });
          if (page.length === 0) break;
          pages.push(page.map((e) => e.visitor));
          after = { visitor: page.at(-1)!.visitor, seq: page.at(-1)!.seq };
        }
        expect(pages).toEqual([['v_laptop_0001', 'v_laptop_0001'], ['v_laptop_0001', 'v_phone_00001'], ['v_phone_00001']]);
        expect((await store.getLeadProfile(id))!.pending).toEqual([(await store.listEvents({ limit: 1 }))[0]!.seq]);
      });

      it('drops the snapshot when an anonymous history joins the lead or one of its visitors is erased', async () => {
        await store.insertEvents(batch([identify('v_laptop_0001', 'ada')]));
        const id = await leadOf('v_laptop_0001');
        await scoreAll(id);
        await store.insertEvents(batch(bounce('v_phone_00001', NOW)));
        await store.insertEvents(batch([identify('v_phone_00001', 'ada', 500)]));
        const merged = (await store.getLeadProfile(id))!;
        expect(merged).toMatchObject({ profile: null, model: null, generation: 1 });
        await scoreAll(id);
        expect((await store.getLeadProfile(id))!.profile).toEqual(PROFILE);
        await store.erase(SITE, 'v_phone_00001');
        expect(await store.getLeadProfile(id)).toMatchObject({ profile: null, model: null, generation: 2 });
      });

      it('saves no snapshot, and no score, read before an erasure changed the lead', async () => {
        await store.insertEvents(batch([identify('v_laptop_0001', 'ada'), identify('v_phone_00001', 'ada')]));
        const id = await leadOf('v_laptop_0001');
        const dirty = (await store.claimDirtyLeads(10, NOW, 60_000))[0]!;
        const read = (await store.getLeadProfile(id))!;
        await store.erase(SITE, 'v_phone_00001');
        const update = { generation: read.generation, profile: PROFILE, model: 'm#1', seq: 1, rebuild: null, folded: read.pending };
        expect(await store.saveProfile({ leadId: id, ...update })).toBe(false);
        await store.saveScore({
          leadId: id,
          dirtySeq: dirty.dirtySeq,
          score: 70,
          level: 'warm',
          reasons: [],
          model: 'm',
          scoredAt: NOW,
          messages: [message(id, 'msg_1')],
          from: dirty.level,
          profile: update,
        });
        expect(await store.getLeadProfile(id)).toMatchObject({ profile: null, generation: read.generation + 1 });
        expect(await store.getLead(id)).toMatchObject({ score: 0, level: 'cold' });
        expect(await store.listMessages()).toEqual([]);
        // Released and still dirty: scored again at once from what is left.
        expect((await store.claimDirtyLeads(10, NOW, 60_000)).map((l) => l.id)).toEqual([id]);
      });

      it('trims the days a retention cutoff at midnight deletes, and drops a snapshot holding the day a cutoff falls in', async () => {
        const midnight = Math.floor(NOW / DAY_MS) * DAY_MS;
        await store.insertEvents(
          batch([eventAt('page_view', 'v_visitor_0001', NOW, 40 * DAY_MS), eventAt('page_view', 'v_visitor_0001', NOW, DAY_MS)]),
        );
        await store.insertEvents(
          batch([
            eventAt('page_view', 'v_visitor_0002', midnight, 30 * DAY_MS - 3600_000),
            eventAt('page_view', 'v_visitor_0002', NOW, DAY_MS),
          ]),
        );
        const [one, two] = [await leadOf('v_visitor_0001'), await leadOf('v_visitor_0002')];
        const day = (agoDays: number, from = NOW) => String(Math.floor((from - agoDays * DAY_MS) / DAY_MS));
        await scoreAll(one, { v: 1, d: { [day(40)]: { 'p:other': 1 }, [day(1)]: { 'p:other': 1 } } });
        await scoreAll(two, { v: 1, d: { [day(30, midnight)]: { 'p:other': 1 }, [day(1)]: { 'p:other': 1 } } });
        // One lead's old event is in a day wholly before the cutoff; the other's in the day the cutoff falls in.
        expect(await store.deleteEventsBefore(midnight - 30 * DAY_MS + 7200_000)).toBe(2);
        expect(await store.getLeadProfile(one)).toMatchObject({ profile: { v: 1, d: { [day(1)]: { 'p:other': 1 } } }, generation: 1 });
        expect(await store.getLeadProfile(two)).toMatchObject({ profile: null, generation: 1 });
      });

      it('marks dirty the leads whose snapshot another model built, or none', async () => {
        await store.insertEvents(batch(bounce('v_visitor_0001', NOW)));
        await store.insertEvents(batch(bounce('v_visitor_0002', NOW)));
        const [one, two] = [await leadOf('v_visitor_0001'), await leadOf('v_visitor_0002')];
        await scoreAll(one);
        await scoreAll(two);
        expect(await store.claimDirtyLeads(10, NOW, 60_000)).toEqual([]);
        expect(await store.markModelChanged('m#1')).toBe(0);
        expect(await store.markModelChanged('m#2')).toBe(2);
        expect((await store.claimDirtyLeads(10, NOW, 60_000)).map((l) => l.id).sort()).toEqual([one, two].sort());
      });
    });

    describe('accounts', () => {
      const grouped = (visitor: string, accountId: string, agoMs = 1000): AnyEvent =>
        eventAt('group', visitor, NOW, agoMs, { account: accountId, props: { accountId, traits: { name: 'Northwind Traders' } } });
      const viewIn = (visitor: string, account: string | undefined, agoMs = 500): AnyEvent =>
        eventAt('page_view', visitor, NOW, agoMs, account === undefined ? {} : { account });
      const identifyAs = (visitor: string, userId: string, email: string, agoMs = 1000): AnyEvent =>
        eventAt('identify', visitor, NOW, agoMs, { props: { userId, traits: { email } } });

      async function accountOf(visitor: string) {
        return store.getLeadAccount(await leadOf(visitor));
      }

      it('makes an account of each group id, with its traits, and keeps each lead in one account', async () => {
        await store.insertEvents(batch([grouped('v_ada_000001', 'northwind'), viewIn('v_ada_000001', 'northwind')]));
        await store.insertEvents(batch([viewIn('v_grace_00001', 'northwind')]));
        const [account] = await store.listAccounts({ limit: 10 });
        expect(account).toMatchObject({ site: SITE, key: 'northwind', source: 'group', traits: { name: 'Northwind Traders' }, members: 2 });
        expect(await accountOf('v_ada_000001')).toMatchObject({ accountId: account!.id, key: 'northwind', source: 'group' });
        expect(await store.getAccount(account!.id)).toEqual(account);
        expect((await store.listAccountMembers(account!.id, { limit: 10 })).map((m) => m.leadId).sort()).toEqual(
          [await leadOf('v_ada_000001'), await leadOf('v_grace_00001')].sort(),
        );
      });

      it("makes an account of a company e-mail domain, but never of free-mail or a site's own excluded domains", async () => {
        await store.insertEvents(batch([identifyAs('v_ada_000001', 'ada', 'Ada@Northwind.COM')]));
        await store.insertEvents(batch([identifyAs('v_bob_000001', 'bob', 'bob@gmail.com')]));
        await store.insertEvents(batch([identifyAs('v_eve_000001', 'eve', 'eve@mailinator.com')]));
        await store.insertEvents(
          batch([identifyAs('v_joe_000001', 'joe', 'joe@student.uni.example')], { freeMailDomains: new Set(['uni.example']) }),
        );
        expect((await store.listAccounts({ limit: 10 })).map((a) => [a.key, a.source, a.members])).toEqual([
          ['domain:northwind.com', 'domain', 1],
        ]);
        expect(await accountOf('v_bob_000001')).toBeUndefined();
        expect(await accountOf('v_joe_000001')).toBeUndefined();
      });

      it('lets an explicit group win over the domain, and records every move', async () => {
        await store.insertEvents(batch([identifyAs('v_ada_000001', 'ada', 'ada@northwind.com', 3000)]));
        await store.insertEvents(batch([grouped('v_ada_000001', 'acme', 2000)]));
        await store.insertEvents(batch([identifyAs('v_ada_000001', 'ada', 'ada@contoso.com', 1000)]));
        const membership = await accountOf('v_ada_000001');
        expect(membership).toMatchObject({ key: 'acme', source: 'group' });
        const moves = await store.listAccountMoves({ leadId: await leadOf('v_ada_000001'), limit: 10 });
        const domain = (await store.listAccounts({ limit: 10 })).find((a) => a.key === 'domain:northwind.com')!;
        expect(moves.map((m) => [m.from, m.to, m.source, m.at])).toEqual([
          [domain.id, membership!.accountId, 'group', NOW - 2000],
          [null, domain.id, 'domain', NOW - 3000],
        ]);
        expect((await store.listAccountMoves({ accountId: domain.id, limit: 10 })).length).toBe(2);
        expect(domain.members).toBe(0);
      });

      it('keeps the last account when later events carry none', async () => {
        await store.insertEvents(batch([grouped('v_ada_000001', 'northwind', 2000), viewIn('v_ada_000001', undefined)]));
        expect(await accountOf('v_ada_000001')).toMatchObject({ key: 'northwind' });
      });

      it(`bounds one visitor switching account on every event: every event stored, the newest ${MAX_MOVES_PER_LEAD} moves kept`, async () => {
        const events = Array.from({ length: 150 }, (_, i) => viewIn('v_switch_0001', `company-${i}`, 150_000 - i * 1000));
        for (let i = 0; i < events.length; i += 50) await store.insertEvents(batch(events.slice(i, i + 50)));
        expect(await store.countEvents()).toBe(150);
        expect(await accountOf('v_switch_0001')).toMatchObject({ key: 'company-149' });
        const moves = await store.listAccountMoves({ leadId: await leadOf('v_switch_0001'), limit: 1000 });
        expect(moves.length).toBe(MAX_MOVES_PER_LEAD);
        expect(moves[0]).toMatchObject({ at: NOW - 1000 });
        const accounts = await store.listAccounts({ limit: 200 });
        expect(accounts.length).toBe(150);
        expect(accounts.filter((a) => a.members > 0).map((a) => a.key)).toEqual(['company-149']);
      });

      it('marks an account dirty when a member joins and when a member is scored, and saves its score once per transition', async () => {
        await store.insertEvents(batch([grouped('v_ada_000001', 'northwind')]));
        const [claimed] = await store.claimDirtyAccounts(10, NOW, 60_000);
        expect(claimed).toMatchObject({ key: 'northwind', level: 'cold' });
        expect(await store.claimDirtyAccounts(10, NOW, 60_000)).toEqual([]);
        const update = {
          accountId: claimed!.id,
          dirtySeq: claimed!.dirtySeq,
          score: 64,
          level: 'warm' as const,
          reasons: ['2 people researched reconciliation this week'],
          topics: [{ name: 'reconciliation', reads: 2, minutes: 7, score: 16, people: 2 }],
          people: 2,
          model: 'account-1',
          scoredAt: NOW,
          from: 'cold' as const,
          messages: [{ ...message(claimed!.id, 'msg_account_1'), type: 'account.warm' }],
        };
        await store.saveAccountScore(update);
        await store.saveAccountScore(update);
        expect(await store.listMessages({ leadId: claimed!.id })).toHaveLength(1);
        expect(await store.getAccount(claimed!.id)).toMatchObject({ score: 64, level: 'warm', previous: 'cold', people: 2, scoredAt: NOW });
        expect(await store.claimDirtyAccounts(10, NOW, 60_000)).toEqual([]);
        // A member's new score makes the account dirty again.
        const [lead] = await store.claimDirtyLeads(10, NOW, 60_000);
        await store.saveScore({
          leadId: lead!.id,
          dirtySeq: lead!.dirtySeq,
          score: 5,
          level: 'cold',
          reasons: [],
          model: 'm',
          scoredAt: NOW,
          messages: [],
          from: 'cold',
        });
        expect((await store.claimDirtyAccounts(10, NOW + 1, 60_000)).map((a) => a.id)).toEqual([claimed!.id]);
        expect((await store.getAccountProfiles(claimed!.id, 10)).total).toBe(1);
        expect(await store.markStaleAccounts(['warm'], NOW + 1)).toBe(0);
      });

      it('puts a claimed account aside without a score, dirty again only if marked since its claim', async () => {
        await store.insertEvents(batch([grouped('v_ada_000001', 'northwind')]));
        const [claimed] = await store.claimDirtyAccounts(10, NOW, 60_000);
        expect((await store.getAccountProfiles(claimed!.id, 10)).members).toMatchObject([{ profile: null, complete: true }]);
        await store.deferAccount(claimed!.id, claimed!.dirtySeq);
        expect(await store.claimDirtyAccounts(10, NOW, 60_000)).toEqual([]);
        expect(await store.getAccount(claimed!.id)).toMatchObject({ scoredAt: null, level: 'cold' });
        // Marked while claimed: still dirty after the deferral, and claimable at once.
        const [again] = await store.claimDirtyAccounts(10, NOW, 60_000).then(async (none) => {
          expect(none).toEqual([]);
          await store.insertEvents(batch([viewIn('v_grace_00001', 'northwind')]));
          return store.claimDirtyAccounts(10, NOW, 60_000);
        });
        await store.insertEvents(batch([viewIn('v_linus_00001', 'northwind')]));
        await store.deferAccount(again!.id, again!.dirtySeq);
        expect((await store.claimDirtyAccounts(10, NOW, 60_000)).map((a) => a.id)).toEqual([again!.id]);
      });

      it('marks stale warm accounts dirty so time can cool them', async () => {
        await store.insertEvents(batch([grouped('v_ada_000001', 'northwind')]));
        const [claimed] = await store.claimDirtyAccounts(10, NOW, 60_000);
        const base = { accountId: claimed!.id, dirtySeq: claimed!.dirtySeq, reasons: [], topics: [], people: 2, model: 'a', messages: [] };
        await store.saveAccountScore({ ...base, score: 60, level: 'warm', scoredAt: NOW, from: 'cold' });
        expect(await store.markStaleAccounts(['warm', 'hot'], NOW + DAY_MS)).toBe(1);
        expect((await store.claimDirtyAccounts(10, NOW + DAY_MS, 60_000)).map((a) => a.id)).toEqual([claimed!.id]);
      });

      it('takes an erased visitor out of their account, and deletes an account left without members', async () => {
        await store.insertEvents(batch([grouped('v_ada_000001', 'northwind'), grouped('v_grace_00001', 'northwind')]));
        await store.insertEvents(batch([grouped('v_solo_000001', 'solo-corp')]));
        const accounts = await store.listAccounts({ limit: 10 });
        const northwind = accounts.find((a) => a.key === 'northwind')!;
        await store.claimDirtyAccounts(10, NOW, 60_000);
        await store.erase(SITE, 'v_ada_000001');
        expect(await store.getAccount(northwind.id)).toMatchObject({ members: 1 });
        expect((await store.listAccountMoves({ accountId: northwind.id, limit: 10 })).length).toBe(1);
        // Claimed above and never saved: claimed again once that lease runs out.
        expect((await store.claimDirtyAccounts(10, NOW + 60_000, 60_000)).map((a) => a.id)).toContain(northwind.id);
        await store.erase(SITE, 'v_solo_000001');
        expect((await store.listAccounts({ limit: 10 })).map((a) => a.key)).toEqual(['northwind']);
      });

      it("moves an anonymous lead's account to the known lead it joins, unless that lead has its own", async () => {
        await store.insertEvents(batch([identify('v_laptop_0001', 'ada', 5000)]));
        await store.insertEvents(batch([grouped('v_phone_00001', 'northwind', 4000)]));
        await store.insertEvents(batch([identify('v_phone_00001', 'ada', 3000)]));
        const known = await leadOf('v_laptop_0001');
        expect(await leadOf('v_phone_00001')).toBe(known);
        expect(await store.getLeadAccount(known)).toMatchObject({ key: 'northwind' });
        expect((await store.listAccountMoves({ leadId: known, limit: 10 })).length).toBe(1);
      });

      it('lists accounts by score and level, paged, and members by score', async () => {
        await store.insertEvents(
          batch([grouped('v_a_00000001', 'a-corp'), grouped('v_b_00000001', 'b-corp'), grouped('v_c_00000001', 'c-corp')]),
        );
        const claimed = await store.claimDirtyAccounts(10, NOW, 60_000);
        for (const [i, c] of claimed.entries()) {
          const level = i === 0 ? 'warm' : 'cold';
          await store.saveAccountScore({
            accountId: c.id,
            dirtySeq: c.dirtySeq,
            score: 10 * (i + 1),
            level,
            reasons: [],
            topics: [],
            people: 1,
            model: 'a',
            scoredAt: NOW,
            messages: [],
            from: 'cold',
          });
        }
        const all = await store.listAccounts({ limit: 10 });
        expect(all.map((a) => a.score)).toEqual([30, 20, 10]);
        const first = await store.listAccounts({ limit: 2 });
        const rest = await store.listAccounts({ limit: 2, after: { score: first[1]!.score, id: first[1]!.id } });
        expect([...first, ...rest].map((a) => a.id)).toEqual(all.map((a) => a.id));
        expect((await store.listAccounts({ limit: 10, levels: ['warm'] })).map((a) => a.score)).toEqual([10]);
        expect(await store.listAccounts({ limit: 10, site: 'other.example' })).toEqual([]);
      });
    });
  });
}
