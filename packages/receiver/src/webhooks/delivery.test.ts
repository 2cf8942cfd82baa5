// Outgoing intent webhooks: signed so the reference verifier accepts them, retried on the Standard Webhooks
// schedule from a durable outbox, and never sent into private networks unless allowed.
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AnyEvent } from '@inkling/core';
import {
  batchOf,
  collect,
  createClock,
  demoRequest,
  eventAt,
  post,
  runAtMiddayUtc,
  startConsumer,
  warmJourney,
} from '../../test/helpers.js';
import type { Answer, Consumer, TestClock } from '../../test/helpers.js';
import { STORES, startTestReceiver } from '../../test/stores.js';
import type { ConversionWebhookPayload, IntentWebhookPayload, Receiver, ReceiverOptions } from '../index.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const OTHER_SECRET = 'whsec_c2Vjb25kLXNlY3JldC1mb3Itcm90YXRpb24=';

describe.each(STORES)('on $name', (kind) => {
  let receiver: Receiver | undefined;
  let consumer: Consumer | undefined;

  afterEach(async () => {
    await receiver?.close();
    await consumer?.close();
    receiver = undefined;
    consumer = undefined;
    vi.useRealTimers();
  });

  async function setup(
    answers: Answer[] = [],
    options: Partial<ReceiverOptions> | ((url: string) => Partial<ReceiverOptions>) = {},
    fallback?: Answer,
  ) {
    const clock: TestClock = createClock();
    consumer = await startConsumer(answers, fallback);
    const extra = typeof options === 'function' ? options(consumer.url) : options;
    receiver = await startTestReceiver(
      kind,
      { webhooks: [{ url: consumer.url, secret: SECRET }], allowPrivateNetworks: true, ...extra },
      clock,
    );
    return { consumer, receiver, clock };
  }

  /** Sends a warm journey through the collector and runs scoring and delivery once. */
  const warmUp = (r: Receiver, clock: TestClock, visitor = 'v_researcher_1') => collect(r, warmJourney(visitor, clock.now()), clock.now());

  describe('outgoing intent webhooks', () => {
    it('sends lead.warm when a lead turns warm, and it verifies with the standardwebhooks package', async () => {
      const { consumer, receiver, clock } = await setup();
      await warmUp(receiver, clock);
      expect(consumer.received).toHaveLength(1);
      const [request] = consumer.received;
      const payload = new Webhook(SECRET).verify(request!.body, request!.headers) as IntentWebhookPayload;
      expect(payload.type).toBe('lead.warm');
      expect(payload.data).toMatchObject({
        level: 'warm',
        previous: 'cold',
        lead: { site: 'example.com', visitors: ['v_researcher_1'], userId: null },
      });
      expect(payload.data.score).toBeGreaterThanOrEqual(50);
      expect(payload.data.reasons.some((r) => r.startsWith('read 3 articles'))).toBe(true);
      expect(request!.headers['webhook-id']).toMatch(/^msg_[0-9a-f]{32}$/);
      expect(request!.headers['content-type']).toBe('application/json');
    });

    it('sends each specialist team only the leads researching its topics, and an endpoint without topics every lead', async () => {
      const { consumer, receiver, clock } = await setup([], (url) => ({
        webhooks: [
          { url: `${url}/payroll`, secret: SECRET, topics: ['Payroll'] },
          { url: `${url}/close`, secret: SECRET, topics: ['reconciliation', 'month-end close'] },
          { url: `${url}/all`, secret: SECRET },
        ],
      }));
      await collect(receiver, warmJourney('v_payroll_001', clock.now(), [['payroll'], ['payroll'], ['payroll', 'tax']]), clock.now());
      await collect(
        receiver,
        warmJourney('v_closing_001', clock.now(), [['reconciliation'], ['reconciliation'], ['month-end close']]),
        clock.now(),
      );
      await collect(receiver, warmJourney('v_both_00001', clock.now(), [['payroll'], ['reconciliation'], ['payroll']]), clock.now());
      const byTeam = (team: string) =>
        consumer.received
          .filter((r) => r.path === `/hooks/${team}`)
          .map((r) => new Webhook(SECRET).verify(r.body, r.headers) as IntentWebhookPayload)
          .map((p) => p.data.lead.visitors[0])
          .sort();
      expect(byTeam('payroll')).toEqual(['v_both_00001', 'v_payroll_001']);
      expect(byTeam('close')).toEqual(['v_both_00001', 'v_closing_001']);
      expect(byTeam('all')).toEqual(['v_both_00001', 'v_closing_001', 'v_payroll_001']);
      const payroll = consumer.received.find((r) => r.path === '/hooks/payroll' && r.body.includes('v_payroll_001'))!;
      const payload = JSON.parse(payroll.body) as IntentWebhookPayload;
      expect(payload.data.topics[0]).toMatchObject({ name: 'payroll', reads: 3 });
      expect(payload.data.reasons.some((r) => /read 3 articles on payroll/.test(r))).toBe(true);
    });

    it('routes lead.converted by topic too', async () => {
      const { consumer, receiver, clock } = await setup([], (url) => ({
        webhooks: [
          { url: `${url}/payroll`, secret: SECRET, topics: ['payroll'] },
          { url: `${url}/close`, secret: SECRET, topics: ['reconciliation'] },
        ],
      }));
      await collect(
        receiver,
        [...warmJourney('v_payroll_001', clock.now(), [['payroll'], ['payroll'], ['payroll']]), demoRequest('v_payroll_001', clock.now())],
        clock.now(),
      );
      expect(
        consumer.received
          .filter((r) => r.path === '/hooks/payroll')
          .map((r) => (JSON.parse(r.body) as { type: string }).type)
          .sort(),
      ).toEqual(['lead.converted', 'lead.hot']);
      expect(consumer.received.filter((r) => r.path === '/hooks/close')).toEqual([]);
    });

    it('sends lead.hot and then lead.cooled as the level moves', async () => {
      const { consumer, receiver, clock } = await setup();
      const demo = demoRequest('v_buyer_00001', clock.now());
      await receiver.fetch(new Request('http://receiver.test/collect', { method: 'POST', ...post(batchOf([demo], clock.now())) }));
      await receiver.flush();
      // Four months without a signal: decay cools the lead on the periodic re-score.
      clock.advance(120 * 24 * 3600 * 1000);
      await receiver.sweep();
      const levels = consumer.received
        .map((r) => JSON.parse(r.body) as IntentWebhookPayload)
        .filter((p) => p.type !== ('lead.converted' as string));
      expect(levels.map((p) => p.type)).toEqual(['lead.hot', 'lead.cooled']);
      expect(levels[1]!.data.previous).toBe('hot');
    });

    it('sends lead.converted for a demo request by a lead already hot, once, with the conversion named', async () => {
      // The first request is three hours old: at midday it is today's, as the level it makes depends on.
      runAtMiddayUtc();
      const { consumer, receiver, clock } = await setup();
      const send = async (events: AnyEvent[]) => {
        await receiver.fetch(new Request('http://receiver.test/collect', { method: 'POST', ...post(batchOf(events, clock.now())) }));
        await receiver.flush();
      };
      await send([demoRequest('v_buyer_00001', clock.now(), 3 * 3600_000)]);
      const first = consumer.received
        .map((r) => JSON.parse(r.body) as { type: string })
        .map((p) => p.type)
        .sort();
      expect(first).toEqual(['lead.converted', 'lead.hot']);
      // Hot already: a second demo request hours later changes no level, and still reaches sales.
      const second = demoRequest('v_buyer_00001', clock.now());
      await send([second]);
      const converted = consumer.received
        .map((r) => ({ id: r.headers['webhook-id'], payload: new Webhook(SECRET).verify(r.body, r.headers) as ConversionWebhookPayload }))
        .filter((r) => r.payload.type === 'lead.converted');
      expect(converted).toHaveLength(2);
      expect(converted[1]!.payload.data).toMatchObject({
        level: 'hot',
        conversion: { name: 'demo_request', reason: 'requested a demo', eventId: second.id, path: '/contact' },
        lead: { visitors: ['v_buyer_00001'] },
      });
      expect(converted[1]!.id).toMatch(/^msg_cv_[0-9a-f]{32}_[0-9a-f]{32}$/);
      // Re-scoring (another page view, a sweep) does not announce it again.
      await send([eventAt('page_view', 'v_buyer_00001', clock.now(), 1000)]);
      clock.advance(2 * 3600_000);
      await receiver.sweep();
      expect(consumer.received.filter((r) => r.body.includes('"lead.converted"'))).toHaveLength(2);
    });

    it('sends one lead.converted for a conversion repeated within ten minutes (a double submit)', async () => {
      const { consumer, receiver, clock } = await setup();
      await receiver.fetch(
        new Request('http://receiver.test/collect', {
          method: 'POST',
          ...post(
            batchOf([demoRequest('v_buyer_00001', clock.now(), 120_000), demoRequest('v_buyer_00001', clock.now(), 60_000)], clock.now()),
          ),
        }),
      );
      await receiver.flush();
      expect(consumer.received.filter((r) => r.body.includes('"lead.converted"'))).toHaveLength(1);
    });

    it('signs with every configured secret, so either verifies during a rotation', async () => {
      const { consumer, receiver, clock } = await setup([], (url) => ({ webhooks: [{ url, secret: [SECRET, OTHER_SECRET] }] }));
      await warmUp(receiver, clock);
      const [request] = consumer.received;
      expect(request!.headers['webhook-signature']!.split(' ')).toHaveLength(2);
      expect(new Webhook(SECRET).verify(request!.body, request!.headers)).toBeTruthy();
      expect(new Webhook(OTHER_SECRET).verify(request!.body, request!.headers)).toBeTruthy();
    });

    it('retries a 500 with the same webhook-id, and the consumer gets the lead once', async () => {
      const { consumer, receiver, clock } = await setup([{ status: 500 }, { status: 200 }]);
      await warmUp(receiver, clock);
      expect(consumer.received).toHaveLength(1);
      const [pending] = await receiver.store.listMessages();
      expect(pending).toMatchObject({ status: 'pending', attempts: 1, lastStatus: 500, nextAttemptAt: clock.now() + 5000 });

      clock.advance(4000);
      await receiver.flush();
      expect(consumer.received).toHaveLength(1);
      clock.advance(1000);
      await receiver.flush();
      expect(consumer.received).toHaveLength(2);

      const ids = consumer.received.map((r) => r.headers['webhook-id']);
      expect(ids[0]).toBe(ids[1]);
      expect(consumer.received[0]!.body).toBe(consumer.received[1]!.body);
      const leadsSeen = new Map(
        consumer.received.map((r) => [r.headers['webhook-id'], (JSON.parse(r.body) as IntentWebhookPayload).data.lead.id]),
      );
      expect(leadsSeen.size).toBe(1);
      const [delivered] = await receiver.store.listMessages();
      expect(delivered).toMatchObject({ status: 'delivered', attempts: 2, lastStatus: 200 });
    });

    it('disables the endpoint on 410 and sends it nothing more', async () => {
      const { consumer, receiver, clock } = await setup([{ status: 410 }]);
      await warmUp(receiver, clock);
      expect(await receiver.store.getDisabledEndpoints()).toEqual([consumer.url]);
      expect((await receiver.store.listMessages())[0]).toMatchObject({ status: 'disabled', lastStatus: 410 });
      // The lead turns hot: no new message for the disabled endpoint.
      await receiver.fetch(
        new Request('http://receiver.test/collect', {
          method: 'POST',
          ...post(batchOf([demoRequest('v_researcher_1', clock.now())], clock.now())),
        }),
      );
      await receiver.flush();
      clock.advance(24 * 3600 * 1000);
      await receiver.flush();
      expect(consumer.received).toHaveLength(1);
      expect((await receiver.store.listLeads({ limit: 1 }))[0]?.level).toBe('hot');
    });

    it('honours Retry-After from the consumer', async () => {
      const { consumer, receiver, clock } = await setup([{ status: 503, headers: { 'retry-after': '120' } }]);
      await warmUp(receiver, clock);
      const [message] = await receiver.store.listMessages();
      expect(message?.nextAttemptAt).toBe(clock.now() + 120_000);
      clock.advance(60_000);
      await receiver.flush();
      expect(consumer.received).toHaveLength(1);
      clock.advance(60_000);
      await receiver.flush();
      expect(consumer.received).toHaveLength(2);
    });

    it('counts a redirect as a failure and does not follow it', async () => {
      const { consumer, receiver, clock } = await setup([
        { status: 301, headers: { location: 'http://169.254.169.254/latest/meta-data' } },
      ]);
      await warmUp(receiver, clock);
      expect(consumer.received).toHaveLength(1);
      expect((await receiver.store.listMessages())[0]).toMatchObject({
        status: 'pending',
        attempts: 1,
        lastStatus: 301,
        lastError: 'endpoint answered 301',
      });
    });

    it('counts a timeout as a failed attempt and schedules a retry', async () => {
      const { consumer, receiver, clock } = await setup(['hang'], { webhookTimeoutMs: 200 });
      await warmUp(receiver, clock);
      expect(consumer.received).toHaveLength(1);
      const [message] = await receiver.store.listMessages();
      expect(message).toMatchObject({ status: 'pending', attempts: 1, lastStatus: null });
      expect(message?.lastError).toMatch(/^timeout: /);
    });

    it('gives up after the eighth attempt of the schedule', async () => {
      const { consumer, receiver, clock } = await setup([], {}, { status: 500 });
      await warmUp(receiver, clock);
      for (const delayMs of [5e3, 3e5, 18e5, 72e5, 18e6, 36e6, 36e6, 36e6]) {
        clock.advance(delayMs);
        await receiver.flush();
      }
      expect(consumer.received).toHaveLength(8);
      expect((await receiver.store.listMessages())[0]).toMatchObject({ status: 'failed', attempts: 8 });
    });

    it('refuses to deliver to 127.0.0.1 without allowPrivateNetworks', async () => {
      const { consumer, receiver, clock } = await setup([], { allowPrivateNetworks: false });
      await warmUp(receiver, clock);
      expect(consumer.received).toHaveLength(0);
      const [message] = await receiver.store.listMessages();
      expect(message?.lastError).toMatch(/^ssrf_blocked: /);
    });

    it('refuses a host name that resolves to a loopback address', async () => {
      const { consumer, receiver, clock } = await setup([], (url) => ({
        allowPrivateNetworks: false,
        webhooks: [{ url: url.replace('127.0.0.1', 'localhost'), secret: SECRET }],
      }));
      await warmUp(receiver, clock);
      expect(consumer.received).toHaveLength(0);
      const [message] = await receiver.store.listMessages();
      expect(message?.lastError).toMatch(/^ssrf_blocked: webhook URL: localhost resolves to (127\.0\.0\.1|::1),/);
    });
  });
});
