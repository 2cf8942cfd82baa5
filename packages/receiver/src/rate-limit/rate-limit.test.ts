// The per-address bucket in front of the per-site one, judged the same way on the in-memory and the Redis limiter.
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SITE, batchOf, bounce, createClock, createTestReceiver, post } from '../../test/helpers.js';
import { TEST_REDIS_URL, openTestRedis } from '../../test/redis.js';
import type { RateLimiter, Receiver, ReceiverOptions } from '../index.js';
import { createMemoryRateLimiter, createRedisRateLimiter } from '../index.js';
import type { MemoryRateLimiterOptions } from './memory-rate-limit.js';

let redis: Redis | undefined;
let limiterPrefix = '';
const prefix = `inkling:test:${randomBytes(4).toString('hex')}:`;
const closing: { close(): Promise<void> }[] = [];

afterAll(async () => {
  const keys = (await redis?.keys(`${prefix}*`)) ?? [];
  if (keys.length) await redis!.del(...keys);
  await redis?.quit();
});

const LIMITERS: { name: string; create(options: MemoryRateLimiterOptions): Promise<RateLimiter> }[] = [
  { name: 'in memory', create: async (options) => createMemoryRateLimiter(options) },
  {
    name: 'on Redis',
    async create(options) {
      redis ??= await openTestRedis();
      // A prefix per limiter: each test starts with full buckets.
      limiterPrefix = `${prefix}${randomBytes(4).toString('hex')}:`;
      const limiter = createRedisRateLimiter({
        url: TEST_REDIS_URL,
        prefix: limiterPrefix,
        onError: (e) => {
          throw e;
        },
        ...options,
      });
      closing.push(limiter);
      return limiter;
    },
  },
];

describe.each(LIMITERS)('rate limit per client address, $name', ({ create }) => {
  let receiver: Receiver;
  const clock = createClock(Date.parse('2026-03-02T10:00:00Z'));

  afterEach(async () => {
    await receiver.close();
    for (const c of closing.splice(0)) await c.close();
    limiterPrefix = '';
  });

  async function start(bucket: MemoryRateLimiterOptions, options: ReceiverOptions = {}): Promise<void> {
    receiver = createTestReceiver({ rateLimiter: await create(bucket), ...options }, clock);
  }

  const send = (site: string, clientIp = '203.0.113.7', headers: Record<string, string> = {}) =>
    receiver.fetch(
      new Request('http://receiver.test/collect', {
        method: 'POST',
        ...post(batchOf(bounce('v_visitor_0001', clock.now()), clock.now(), site), headers),
      }),
      { clientIp },
    );

  it('invented site names: answers 429 once the address has used its bucket, whatever site each batch names', async () => {
    await start({ capacity: 10, refillPerS: 1, perAddress: { capacity: 3, refillPerS: 1 } });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await send(`invented-${i}.example`)).status);
    expect(statuses).toEqual([202, 202, 202, 429]);
    const refused = await send('invented-9.example');
    expect(await refused.json()).toMatchObject({
      error: { code: 'rate_limited', message: 'rate limit: too many batches from this address; retry after 1 s' },
    });
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await receiver.store.countEvents()).toBe(3);
    // Another address has a bucket of its own, and the first is let through again once a token is back.
    expect((await send('invented-5.example', '198.51.100.20')).status).toBe(202);
    clock.advance(1000);
    expect((await send('invented-6.example')).status).toBe(202);
  });

  it('one site from one address: the per-site bucket still answers 429 first when it is the smaller', async () => {
    await start({ capacity: 2, refillPerS: 1 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await send(SITE)).status);
    expect(statuses).toEqual([202, 202, 429]);
    // The address bucket defaults to twice the site's, and the refused batch took from it too: one more fits.
    expect((await send('other.example')).status).toBe(202);
    expect((await send('third.example')).status).toBe(429);
  });

  it('X-Forwarded-For without trustProxy: ignored, so a client cannot pick a fresh bucket', async () => {
    await start({ perAddress: { capacity: 1, refillPerS: 1 } });
    expect((await send(SITE, '203.0.113.7', { 'x-forwarded-for': '192.0.2.1' })).status).toBe(202);
    expect((await send(SITE, '203.0.113.7', { 'x-forwarded-for': '192.0.2.2' })).status).toBe(429);
  });

  it('behind a trusted proxy: each forwarded address has its own bucket', async () => {
    await start({ perAddress: { capacity: 1, refillPerS: 1 } }, { trustProxy: true });
    expect((await send(SITE, '10.0.0.2', { 'x-forwarded-for': '192.0.2.1' })).status).toBe(202);
    expect((await send(SITE, '10.0.0.2', { 'x-forwarded-for': '192.0.2.2' })).status).toBe(202);
    expect((await send(SITE, '10.0.0.2', { 'x-forwarded-for': '198.51.100.9, 192.0.2.1' })).status).toBe(429);
  });

  it('unknown sites when sites are configured: answers 403 before taking a token', async () => {
    await start({ capacity: 1, refillPerS: 1, perAddress: { capacity: 1, refillPerS: 1 } }, { sites: [SITE] });
    for (let i = 0; i < 5; i++) {
      const refused = await send(`invented-${i}.example`);
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ error: { code: 'unknown_site' } });
    }
    if (limiterPrefix) expect(await redis!.keys(`${limiterPrefix}*`)).toEqual([]);
    expect((await send(SITE)).status).toBe(202);
    expect(await receiver.store.countEvents()).toBe(1);
  });
});
