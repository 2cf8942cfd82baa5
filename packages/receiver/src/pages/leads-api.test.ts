// The lead API, identity through the collector, erasure and retention, end to end through the fetch core.
import { afterEach, describe, expect, it } from 'vitest';
import type { AnyEvent } from '@inkling/core';
import {
  API_KEY,
  DAY_MS,
  batchOf,
  bounce,
  collect as collectBatch,
  createClock,
  demoRequest,
  eventAt,
  post,
  warmJourney,
} from '../../test/helpers.js';
import type { TestClock } from '../../test/helpers.js';
import { STORES, startTestReceiver } from '../../test/stores.js';
import type { Lead, LeadPage, Receiver, ReceiverOptions, TimelineItem } from '../index.js';

describe.each(STORES)('on $name', (kind) => {
  let receiver: Receiver;
  let clock: TestClock;

  afterEach(async () => {
    await receiver.close();
  });

  async function start(options: ReceiverOptions = {}): Promise<Receiver> {
    clock = createClock();
    receiver = await startTestReceiver(kind, options, clock);
    return receiver;
  }

  const collect = (events: AnyEvent[]) => collectBatch(receiver, events, clock.now());

  function get(path: string, key: string | null = API_KEY): Promise<Response> {
    return receiver.fetch(new Request(`http://receiver.test${path}`, { headers: key === null ? {} : { authorization: `Bearer ${key}` } }));
  }

  async function getLeads(path: string): Promise<LeadPage> {
    const response = await get(path);
    expect(response.status).toBe(200);
    return (await response.json()) as LeadPage;
  }

  const identify = (visitor: string, userId: string): AnyEvent => eventAt('identify', visitor, clock.now(), 10_000, { props: { userId } });

  describe('lead API', () => {
    it('requires the API key', async () => {
      await start();
      await collect(bounce('v_visitor_0001', clock.now()));
      const missing = await get('/leads', null);
      expect(missing.status).toBe(401);
      expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="inkling"');
      expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
      expect((await get('/leads', 'wrong-key-0123456789')).status).toBe(401);
      // The JSON API takes the key from the header only, never from the address.
      expect((await receiver.fetch(new Request(`http://receiver.test/leads?key=${API_KEY}`))).status).toBe(401);
      expect((await get('/leads')).status).toBe(200);
    });

    it('refuses every request when no API key is configured', async () => {
      await start({ apiKey: undefined as unknown as string });
      const response = await receiver.fetch(
        new Request('http://receiver.test/leads', { headers: { authorization: 'Bearer anything-at-all-12345' } }),
      );
      expect(response.status).toBe(401);
      expect(((await response.json()) as { error: { message: string } }).error.message).toContain('no apiKey configured');
    });

    it("carries each lead's topics, strongest first, and filters by ?topic= on the three strongest", async () => {
      await start();
      await collect([
        ...warmJourney('v_payroll_001', clock.now(), [['payroll'], ['payroll'], ['tax']]),
        ...warmJourney('v_closing_001', clock.now(), [['reconciliation'], ['reconciliation'], ['reconciliation']]),
      ]);
      await receiver.flush();
      const all = await getLeads('/leads?level=cold,warm,hot');
      const payroll = all.leads.find((l) => l.visitors.includes('v_payroll_001'))!;
      expect(payroll.topics.map((t) => t.name)).toEqual(['payroll', 'tax']);
      expect(payroll.topics[0]).toMatchObject({ name: 'payroll', reads: 2 });
      const byTopic = async (topic: string) =>
        (await getLeads(`/leads?level=cold,warm,hot&topic=${topic}`)).leads.flatMap((l) => l.visitors);
      expect(await byTopic('Payroll')).toEqual(['v_payroll_001']);
      expect(await byTopic('reconciliation')).toEqual(['v_closing_001']);
      expect(await byTopic('pricing')).toEqual([]);
      const detail = (await (await get(`/leads/${payroll.id}`)).json()) as { lead: Lead };
      expect(detail.lead.topics).toEqual(payroll.topics);
      const tooLong = await get(`/leads?topic=${'x'.repeat(65)}`);
      expect(tooLong.status).toBe(400);
      expect(((await tooLong.json()) as { error: { message: string } }).error.message).toBe(
        'topic: expected a topic name of at most 64 characters, got 65',
      );
    });

    it('filters by level and pages with a cursor, highest score first', async () => {
      await start();
      await collect([...warmJourney('v_warm_00001', clock.now()), ...warmJourney('v_warm_00002', clock.now())]);
      await collect([demoRequest('v_hot_000001', clock.now())]);
      await collect([...bounce('v_cold_00001', clock.now()), ...bounce('v_cold_00002', clock.now())]);

      const warm = await getLeads('/leads?level=warm');
      expect(warm.leads.map((l) => l.visitors[0]).sort()).toEqual(['v_warm_00001', 'v_warm_00002']);
      expect(warm.leads.every((l) => l.level === 'warm')).toBe(true);
      expect((await getLeads('/leads?level=hot,warm')).leads.map((l) => l.level)).toEqual(['hot', 'warm', 'warm']);

      const seen: Lead[] = [];
      let page = await getLeads('/leads?limit=2');
      seen.push(...page.leads);
      while (page.nextCursor) {
        page = await getLeads(`/leads?limit=2&cursor=${page.nextCursor}`);
        seen.push(...page.leads);
      }
      expect(seen).toHaveLength(5);
      expect(new Set(seen.map((l) => l.id)).size).toBe(5);
      const scores = seen.map((l) => l.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
    });

    it('answers 400 naming a bad query parameter', async () => {
      await start();
      const response = await get('/leads?level=lukewarm');
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { message: string } }).error.message).toBe(
        'level: expected cold, warm or hot (comma-separated), got "lukewarm"',
      );
      expect((await get('/leads?limit=0')).status).toBe(400);
      expect((await get('/leads?cursor=!!')).status).toBe(400);
    });

    it('shows one lead with its reasons and a timeline of its signals, newest first', async () => {
      await start();
      await collect(warmJourney('v_warm_00001', clock.now()));
      const [lead] = (await getLeads('/leads')).leads;
      const response = await get(`/leads/${lead!.id}`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { lead: Lead; timeline: TimelineItem[] };
      expect(body.lead.level).toBe('warm');
      expect(body.lead.reasons).toContain('viewed pricing twice');
      expect(body.timeline).toHaveLength(10);
      expect(body.timeline[0]).toMatchObject({
        kind: 'signal',
        type: 'page_view',
        label: 'Viewed a pricing page',
        detail: 'Pricing (/pricing)',
      });
      expect(body.timeline.filter((t) => t.type === 'article_read')).toHaveLength(3);
      expect((await get('/leads/no-such-lead')).status).toBe(404);
    });
  });

  describe('identity through the collector', () => {
    it('links an anonymous visitor to a known lead on the first identify, with its history', async () => {
      await start();
      await collect([...bounce('v_laptop_0001', clock.now()), identify('v_laptop_0001', 'ada@example.com')]);
      await collect(warmJourney('v_phone_00001', clock.now()));
      expect((await getLeads('/leads')).leads).toHaveLength(2);
      await collect([identify('v_phone_00001', 'ada@example.com')]);
      const { leads } = await getLeads('/leads');
      expect(leads).toHaveLength(1);
      expect(leads[0]).toMatchObject({ userId: 'ada@example.com', visitors: ['v_laptop_0001', 'v_phone_00001'], level: 'warm' });
    });

    it('never merges two known leads: a conflicting claim is only noted on the timeline', async () => {
      await start();
      await collect([identify('v_shared_0001', 'ada'), identify('v_other_00001', 'grace')]);
      await collect([identify('v_shared_0001', 'grace')]);
      const { leads } = await getLeads('/leads');
      expect(leads.map((l) => [l.userId, l.visitors]).sort()).toEqual([
        ['ada', ['v_shared_0001']],
        ['grace', ['v_other_00001']],
      ]);
      const ada = leads.find((l) => l.userId === 'ada')!;
      const { timeline } = (await (await get(`/leads/${ada.id}`)).json()) as { timeline: TimelineItem[] };
      expect(timeline.find((t) => t.kind === 'note' && t.type === 'identity_conflict')?.detail).toBe(
        'visitor v_shared_0001 claimed to be grace; kept as ada',
      );
    });
  });

  describe('privacy on the server', () => {
    it('erases everything derived from a visitor when their browser sends forget', async () => {
      await start();
      await collect(warmJourney('v_leaving_001', clock.now()));
      await collect(bounce('v_staying_001', clock.now()));
      expect((await getLeads('/leads?level=warm')).leads).toHaveLength(1);
      await collect([eventAt('forget', 'v_leaving_001', clock.now(), 0)]);
      expect((await getLeads('/leads')).leads.map((l) => l.visitors)).toEqual([['v_staying_001']]);
      expect((await receiver.store.listEvents({ limit: 100 })).every((e) => e.visitor === 'v_staying_001')).toBe(true);
    });

    it('deletes pending webhooks of an erased lead', async () => {
      // A consumer that keeps failing: the lead.warm message stays pending for a retry.
      await start({
        webhooks: [{ url: 'https://hooks.example.com/inkling', secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }],
        webhookSender: async () => ({ status: 500, retryAfter: null }),
      });
      await collect(warmJourney('v_leaving_001', clock.now()));
      expect(await receiver.store.listMessages({ status: 'pending' })).toHaveLength(1);
      expect(await receiver.erase('example.com', 'v_leaving_001')).toEqual({ events: 10, leads: 1, messages: 1 });
      expect(await receiver.store.listMessages()).toEqual([]);
      expect((await getLeads('/leads')).leads).toEqual([]);
    });

    it('deletes events older than retentionDays on the sweep, and re-scores their leads', async () => {
      await start({ retentionDays: 30 });
      await collect(warmJourney('v_visitor_0001', clock.now()));
      expect(await receiver.store.countEvents()).toBe(10);
      clock.advance(27 * DAY_MS);
      await receiver.sweep();
      expect(await receiver.store.countEvents()).toBe(10);
      // The journey's first visit was two days before the second: its seven events pass 30 days first.
      clock.advance(2 * DAY_MS);
      await receiver.sweep();
      expect(await receiver.store.countEvents()).toBe(3);
      expect((await getLeads('/leads')).leads[0]?.reasons.some((r) => r.startsWith('read'))).toBe(false);
      clock.advance(3 * DAY_MS);
      await receiver.sweep();
      expect(await receiver.store.countEvents()).toBe(0);
      const [lead] = (await getLeads('/leads')).leads;
      expect(lead).toMatchObject({ score: 0, level: 'cold', reasons: [] });
    });

    it("keeps an event's dedupe key 8 days after receiving it, even once the event itself is deleted", async () => {
      await start({ retentionDays: 1 });
      const batch = JSON.stringify(batchOf(bounce('v_retrying_01', clock.now()), clock.now()));
      const send = async () =>
        (await receiver.fetch(new Request('http://receiver.test/collect', { method: 'POST', ...post({}), body: batch }))).json();
      expect(await send()).toEqual({ accepted: 1, duplicates: 0 });
      clock.advance(2 * DAY_MS);
      await receiver.sweep();
      expect(await receiver.store.countEvents()).toBe(0);
      // A client retrying within its 7-day queue life is answered as a duplicate, not stored again.
      clock.advance(6 * DAY_MS - 1);
      await receiver.sweep();
      expect(await send()).toEqual({ accepted: 0, duplicates: 1 });
      clock.advance(2);
      await receiver.sweep();
      expect(await send()).toEqual({ accepted: 1, duplicates: 0 });
    });
  });
});
