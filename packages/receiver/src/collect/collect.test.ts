// One test per failure mode of the collector, each run through the fetch core and through the node:http adapter.
import { afterEach, describe, expect, it } from 'vitest';
import { createProfile, applyEvent, scoreProfile, DEFAULT_MODEL } from '@inkling/core';
import type { AnyEvent } from '@inkling/core';
import { API_KEY, DAY_MS, DRIVERS, SITE, batchOf, bounce, createClock, eventAt, post, warmJourney } from '../../test/helpers.js';
import type { Driver } from '../../test/helpers.js';
import { POSTGRES, SQLITE, startTestReceiver } from '../../test/stores.js';
import type { Receiver, ReceiverOptions } from '../index.js';

const ALLOWED = 'https://www.example.com';

// Every front door on SQLite; the store is independent of the door, so PostgreSQL through the fetch core.
const MATRIX = [...DRIVERS.map((driver) => ({ driver, store: SQLITE })), { driver: DRIVERS[0]!, store: POSTGRES }].map((m) => ({
  ...m,
  name: `${m.driver.name} on ${m.store.name}`,
}));

describe.each(MATRIX)('collector failure modes via the $name', ({ driver: driverSpec, store }) => {
  let receiver: Receiver;
  let driver: Driver;
  const clock = createClock();

  async function start(options: ReceiverOptions = {}): Promise<Driver> {
    receiver = await startTestReceiver(store, { allowedOrigins: [ALLOWED], ...options }, clock);
    driver = await driverSpec.start(receiver);
    return driver;
  }

  afterEach(async () => {
    await driver.close();
    await receiver.close();
  });

  const errorOf = async (response: Response) =>
    ((await response.json()) as { error: { code: string; message: string; issues?: { path: string }[] } }).error;

  it('bad JSON: answers 400 bad_json and stores nothing', async () => {
    await start();
    const response = await driver.send({ ...post({}), body: '{"v":1,"site":' });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).code).toBe('bad_json');
    expect(await receiver.store.countEvents()).toBe(0);
  });

  it('wrong content type: answers 415 unsupported_media_type and stores nothing', async () => {
    await start();
    const response = await driver.send({
      ...post(batchOf(bounce('v_visitor_0001', clock.now()), clock.now())),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status).toBe(415);
    expect((await errorOf(response)).code).toBe('unsupported_media_type');
    expect(await receiver.store.countEvents()).toBe(0);
  });

  it('oversized body: answers 413 body_too_large and stores nothing', async () => {
    await start();
    const events = bounce('v_visitor_0001', clock.now());
    const body = JSON.stringify({ ...batchOf(events, clock.now()), padding: 'x'.repeat(70 * 1024) });
    const response = await driver.send({ ...post({}), body });
    expect(response.status).toBe(413);
    expect((await errorOf(response)).code).toBe('body_too_large');
    expect(await receiver.store.countEvents()).toBe(0);
  });

  it('too many events: answers 413 too_many_events so the client splits the batch', async () => {
    await start();
    const events = Array.from({ length: 101 }, (_, i) => eventAt('page_view', 'v_visitor_0001', clock.now(), 1000 * (101 - i)));
    const response = await driver.send(post(batchOf(events, clock.now())));
    expect(response.status).toBe(413);
    const error = await errorOf(response);
    expect(error.code).toBe('too_many_events');
    expect(error.message).toContain('101 events');
    expect(await receiver.store.countEvents()).toBe(0);
  });

  it('oversized event: answers 413 event_too_large naming the event', async () => {
    await start();
    const big = eventAt('track', 'v_visitor_0001', clock.now(), 1000, {
      props: { name: 'note', a: 'x'.repeat(2000), b: 'x'.repeat(2000), c: 'x'.repeat(2000), d: 'x'.repeat(2000), e: 'x'.repeat(2000) },
    });
    const response = await driver.send(post(batchOf([...bounce('v_visitor_0001', clock.now()), big], clock.now())));
    expect(response.status).toBe(413);
    const error = await errorOf(response);
    expect(error.code).toBe('event_too_large');
    expect(error.message).toMatch(/^events\[1\]: \d+ bytes, at most 8192/);
    expect(await receiver.store.countEvents()).toBe(0);
  });

  it('wrong field type: answers 400 invalid_batch naming the field', async () => {
    await start();
    const [event] = bounce('v_visitor_0001', clock.now());
    const response = await driver.send(post(batchOf([{ ...event!, ts: 12345 } as unknown as AnyEvent], clock.now())));
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe('invalid_batch');
    expect(error.message).toBe('events[0].ts: expected a string, got 12345');
    expect(error.issues?.[0]?.path).toBe('events[0].ts');
    expect(await receiver.store.countEvents()).toBe(0);
  });

  it('props nested 5,000 deep: answers 400 invalid_batch naming the field, logs nothing and stores nothing', async () => {
    const errors: unknown[] = [];
    await start({ onError: (e) => void errors.push(e) });
    const [event] = bounce('v_visitor_0001', clock.now());
    // About 10 KB of text, but deeper than JSON.stringify's recursion can follow.
    const body = JSON.stringify(
      batchOf([{ ...event!, type: 'track', props: { name: 'deep', list: [] } } as unknown as AnyEvent], clock.now()),
    ).replace('"list":[]', `"list":${'['.repeat(5000)}${']'.repeat(5000)}`);
    const response = await driver.send({ ...post({}), body });
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe('invalid_batch');
    expect(error.message).toMatch(/^events\[0\]\.props\.list(\[0\])+: nested deeper than 32 levels/);
    expect(errors).toEqual([]);
    expect(await receiver.store.countEvents()).toBe(0);
  });

  it('one invalid event among valid ones: stores the valid events and reports the invalid one by index', async () => {
    await start();
    const [first, second, third] = warmJourney('v_partial_001', clock.now());
    const response = await driver.send(
      post(batchOf([first!, { ...second!, id: '1a24ceaa-294.912-7000-8000-000000000' } as AnyEvent, third!], clock.now())),
    );
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({
      accepted: 2,
      duplicates: 0,
      rejected: [
        {
          index: 1,
          code: 'invalid_event',
          message: 'events[1].id: expected a UUIDv7 (lowercase, with dashes), got "1a24ceaa-294.912-7000-8000-000000000"',
          issues: [{ path: 'events[1].id', rule: 'format', message: expect.stringMatching(/^events\[1\]\.id: /) }],
        },
      ],
    });
    expect((await receiver.store.listEvents({ limit: 10 })).map((e) => e.id).sort()).toEqual([first!.id, third!.id].sort());
  });

  it('invalid batch fields with valid events: answers 400 invalid_batch naming the field and stores nothing', async () => {
    await start();
    const response = await driver.send(post({ ...batchOf(bounce('v_visitor_0001', clock.now()), clock.now()), sentAt: 'yesterday' }));
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe('invalid_batch');
    expect(error.message).toBe('sentAt: expected an ISO-8601 date-time, got "yesterday"');
    expect(await receiver.store.countEvents()).toBe(0);
  });

  it('forget beside an invalid event: erases the visitor and reports only the invalid event', async () => {
    await start();
    const visitor = 'v_partial_002';
    expect((await driver.send(post(batchOf(warmJourney(visitor, clock.now()), clock.now())))).status).toBe(202);
    const [view] = bounce(visitor, clock.now());
    const response = await driver.send(
      post(batchOf([{ ...view!, ts: 'yesterday' } as AnyEvent, eventAt('forget', visitor, clock.now(), 0)], clock.now())),
    );
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ accepted: 1, duplicates: 0, rejected: [{ index: 0, code: 'invalid_event' }] });
    expect(await receiver.store.countEvents()).toBe(0);
  });

  it('unknown site: answers 403 unknown_site and stores nothing', async () => {
    await start({ sites: [SITE] });
    const response = await driver.send(post(batchOf(bounce('v_visitor_0001', clock.now()), clock.now(), 'other.example')));
    expect(response.status).toBe(403);
    expect((await errorOf(response)).code).toBe('unknown_site');
    expect(await receiver.store.countEvents()).toBe(0);
    // The configured site is still accepted.
    expect((await driver.send(post(batchOf(bounce('v_visitor_0001', clock.now()), clock.now())))).status).toBe(202);
  });

  it('disallowed origin: refuses the batch and the preflight without CORS headers', async () => {
    await start();
    const batch = batchOf(bounce('v_visitor_0001', clock.now()), clock.now());
    const refused = await driver.send(post(batch, { origin: 'https://evil.example' }));
    expect(refused.status).toBe(403);
    const error = await errorOf(refused);
    expect(error.code).toBe('origin_not_allowed');
    // The fix is named for both kinds of user: the option in code, the flag on the command line.
    expect(error.message).toBe(
      'origin: "https://evil.example" may not post to this receiver; add it to the allowed origins (the allowedOrigins option, or --origin / INKLING_ORIGINS of inkling serve)',
    );
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await driver.send({
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(await receiver.store.countEvents()).toBe(0);

    const allowed = await driver.send(post(batch, { origin: ALLOWED }));
    expect(allowed.status).toBe(202);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
    expect(allowed.headers.get('vary')).toBe('Origin');
    expect(allowed.headers.get('access-control-expose-headers')).toBe('Retry-After');
    const allowedPreflight = await driver.send({
      method: 'OPTIONS',
      headers: { origin: ALLOWED, 'access-control-request-method': 'POST' },
    });
    expect(allowedPreflight.status).toBe(204);
    expect(allowedPreflight.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(allowedPreflight.headers.get('access-control-max-age')).toBe('7200');
  });

  it('rate limited: answers 429 with Retry-After and stores nothing of that batch', async () => {
    await start({ rateLimit: { capacity: 2, refillPerS: 0.5 } });
    const send = (n: number) => driver.send(post(batchOf(bounce(`v_visitor_000${n}`, clock.now()), clock.now())));
    expect((await send(1)).status).toBe(202);
    expect((await send(2)).status).toBe(202);
    const limited = await send(3);
    expect(limited.status).toBe(429);
    expect((await errorOf(limited)).code).toBe('rate_limited');
    expect(limited.headers.get('retry-after')).toBe('2');
    expect(await receiver.store.countEvents()).toBe(2);
    clock.advance(2000);
    expect((await send(4)).status).toBe(202);
  });

  it('bot user agent: stores the events flagged and keeps them out of scoring', async () => {
    await start();
    const botUa = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0.0.0 Safari/537.36';
    const response = await driver.send(post(batchOf(warmJourney('v_headless_01', clock.now()), clock.now()), { 'user-agent': botUa }));
    expect(response.status).toBe(202);
    const stored = await receiver.store.listEvents({ limit: 100 });
    expect(stored.length).toBe(10);
    expect(stored.every((e) => e.bot)).toBe(true);
    await receiver.flush();
    expect(await receiver.store.listLeads({ limit: 10 })).toEqual([]);
  });

  it('forged client score: stores the claim and scores the lead from its signals only', async () => {
    await start();
    const visitor = 'v_forger_0001';
    const signals = bounce(visitor, clock.now());
    const forged = eventAt('intent', visitor, clock.now(), 1000, {
      props: { score: 100, level: 'hot', previous: 'cold', reasons: ['trust me'], model: 'forged' },
    });
    expect((await driver.send(post(batchOf([...signals, forged], clock.now())))).status).toBe(202);
    await receiver.flush();
    const [lead] = await receiver.store.listLeads({ limit: 10 });
    const profile = createProfile();
    for (const e of signals) applyEvent(profile, e, DEFAULT_MODEL);
    const expected = scoreProfile(profile, DEFAULT_MODEL, clock.now(), 'cold');
    expect(lead?.level).toBe('cold');
    expect(lead?.score).toBe(expected.score);
    expect(lead?.reasons).not.toContain('trust me');
    const claim = (await receiver.store.listEvents({ limit: 10 })).find((e) => e.type === 'intent');
    expect(claim?.event.props).toMatchObject({ score: 100, level: 'hot' });
  });

  it('duplicate batch: stores it once and still answers 202 with the counts', async () => {
    await start();
    const batch = batchOf(warmJourney('v_retrying_01', clock.now()), clock.now());
    const first = await driver.send(post(batch));
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ accepted: 10, duplicates: 0 });
    const second = await driver.send(post(batch));
    expect(second.status).toBe(202);
    expect(await second.json()).toEqual({ accepted: 0, duplicates: 10 });
    expect(await receiver.store.countEvents()).toBe(10);
  });

  it('device clock an hour fast: stores receiver times, clamping events after sending or older than 8 days', async () => {
    await start();
    const device = clock.now() + 3_600_000;
    const events = [
      eventAt('page_view', 'v_skewed_0001', device, 60_000),
      eventAt('page_view', 'v_skewed_0001', device, -5_000),
      eventAt('page_view', 'v_skewed_0001', device, 30 * DAY_MS),
    ];
    expect((await driver.send(post(batchOf(events, device)))).status).toBe(202);
    const stored = new Map((await receiver.store.listEvents({ limit: 10 })).map((e) => [e.id, e]));
    expect(events.map((e) => stored.get(e.id)).map((e) => [e?.ts, e?.rawTs, e?.clamped])).toEqual([
      [clock.now() - 60_000, events[0]!.ts, false],
      [clock.now(), events[1]!.ts, true],
      [clock.now() - 8 * DAY_MS, events[2]!.ts, true],
    ]);
  });

  it('Global Privacy Control: answers 202 with the count dropped and stores nothing', async () => {
    await start();
    const response = await driver.send(post(batchOf(warmJourney('v_private_001', clock.now()), clock.now()), { 'sec-gpc': '1' }));
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: 0, duplicates: 0, dropped: 10 });
    expect(await receiver.store.countEvents()).toBe(0);
  });

  it('forget under Global Privacy Control: erases the visitor and is not counted as dropped', async () => {
    await start();
    const visitor = 'v_private_002';
    expect((await driver.send(post(batchOf(warmJourney(visitor, clock.now()), clock.now())))).status).toBe(202);
    expect(await receiver.store.countEvents()).toBe(10);
    const forget = eventAt('forget', visitor, clock.now(), 0);
    const response = await driver.send(post(batchOf([...bounce(visitor, clock.now()), forget], clock.now()), { 'sec-gpc': '1' }));
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: 1, duplicates: 0, dropped: 1 });
    expect(await receiver.store.countEvents()).toBe(0);
  });

  it('forget from a bot user agent: erases the visitor', async () => {
    await start();
    const visitor = 'v_automated_1';
    expect((await driver.send(post(batchOf(warmJourney(visitor, clock.now()), clock.now())))).status).toBe(202);
    const botUa = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0.0.0 Safari/537.36';
    const response = await driver.send(post(batchOf([eventAt('forget', visitor, clock.now(), 0)], clock.now()), { 'user-agent': botUa }));
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: 1, duplicates: 0 });
    expect(await receiver.store.countEvents()).toBe(0);
  });

  it('Global Privacy Control with acceptGpc: stores the events', async () => {
    await start({ acceptGpc: true });
    const response = await driver.send(post(batchOf(bounce('v_private_001', clock.now()), clock.now()), { 'sec-gpc': '1' }));
    expect(await response.json()).toEqual({ accepted: 1, duplicates: 0 });
    expect(await receiver.store.countEvents()).toBe(1);
  });

  it('wrong method: answers 405 with Allow', async () => {
    await start();
    const response = await driver.send({ method: 'PUT', body: '{}', headers: { 'content-type': 'text/plain' } });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST, OPTIONS');
  });

  it('lead data without the key: answers 401', async () => {
    await start();
    expect((await driver.send({ method: 'GET', path: '/leads' })).status).toBe(401);
    expect((await driver.send({ method: 'GET', path: '/leads', headers: { authorization: `Bearer ${API_KEY}` } })).status).toBe(200);
  });
});
