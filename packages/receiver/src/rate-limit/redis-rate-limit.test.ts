// The rate limit shared across receivers: one token bucket per key in Redis, taken atomically.
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { batchOf, bounce, createClock, createTestReceiver, post } from '../../test/helpers.js';
import { TEST_REDIS_URL, openTestRedis } from '../../test/redis.js';
import type { Receiver, Store } from '../index.js';
import { createReceiver, createRedisRateLimiter } from '../index.js';
import type { RedisRateLimiter, RedisRateLimiterOptions } from '../index.js';

const NOW = Date.parse('2026-03-02T10:00:00Z');

describe('Redis rate limiter', () => {
  let redis: Redis | undefined;
  let prefix: string;
  const opened: { close(): Promise<void> }[] = [];

  // Per test, so a missing server fails every test with the fix rather than skipping them.
  beforeEach(async () => {
    redis ??= await openTestRedis();
  });
  afterAll(async () => {
    await redis?.quit();
  });
  afterEach(async () => {
    for (const o of opened.splice(0)) await o.close();
    const keys = (await redis?.keys(`${prefix}*`)) ?? [];
    if (keys.length) await redis!.del(...keys);
  });

  /** A limiter on the test server, with keys no other test uses. */
  function limiter(options: RedisRateLimiterOptions = {}): RedisRateLimiter {
    prefix ??= `inkling:test:${randomBytes(4).toString('hex')}:`;
    const created = createRedisRateLimiter({
      url: TEST_REDIS_URL,
      prefix,
      onError: (e) => {
        throw e;
      },
      ...options,
    });
    opened.push(created);
    return created;
  }

  it('lets a burst of capacity through, then answers with the seconds until a token is back', async () => {
    const rl = limiter({ capacity: 3, refillPerS: 1 });
    for (let i = 0; i < 3; i++) expect(await rl.take('site|ip', NOW)).toEqual({ allowed: true, retryAfterS: 0 });
    expect(await rl.take('site|ip', NOW)).toEqual({ allowed: false, retryAfterS: 1 });
    expect(await rl.take('site|ip', NOW + 999)).toMatchObject({ allowed: false });
    expect(await rl.take('site|ip', NOW + 1000)).toMatchObject({ allowed: true });
    expect(await rl.take('other|ip', NOW)).toMatchObject({ allowed: true });
  });

  it('shares one bucket between receivers', async () => {
    const a = limiter({ capacity: 4, refillPerS: 1 });
    const b = limiter({ capacity: 4, refillPerS: 1 });
    const verdicts = [
      await a.take('k', NOW),
      await b.take('k', NOW),
      await a.take('k', NOW),
      await b.take('k', NOW),
      await a.take('k', NOW),
      await b.take('k', NOW),
    ];
    expect(verdicts.map((v) => v.allowed)).toEqual([true, true, true, true, false, false]);
  });

  it('never lets more than the bucket through when receivers check at the same moment', async () => {
    const receivers = Array.from({ length: 4 }, () => limiter({ capacity: 10, refillPerS: 0.001 }));
    const verdicts = await Promise.all(Array.from({ length: 100 }, (_, i) => receivers[i % 4]!.take('k', NOW)));
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(10);
  });

  it('never refills from a receiver whose clock is behind', async () => {
    const rl = limiter({ capacity: 1, refillPerS: 1 });
    expect((await rl.take('k', NOW)).allowed).toBe(true);
    expect((await rl.take('k', NOW - 5000)).allowed).toBe(false);
  });

  it('lets a bucket expire once it would be full again', async () => {
    const rl = limiter({ capacity: 10, refillPerS: 5 });
    await rl.take('k', NOW);
    const ttl = await redis!.pttl(`${prefix}k`);
    expect(ttl).toBeGreaterThan(2000);
    expect(ttl).toBeLessThanOrEqual(3000);
  });

  it('lets requests through and reports once while Redis is unreachable', async () => {
    const errors: unknown[] = [];
    const rl = limiter({ url: 'redis://127.0.0.1:1', timeoutMs: 100, onError: (e) => errors.push(e) });
    expect(await rl.take('k', NOW)).toEqual({ allowed: true, retryAfterS: 0 });
    expect(await rl.take('k', NOW)).toEqual({ allowed: true, retryAfterS: 0 });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'rate_limiter_unavailable' });
  });

  it("refuses a bucket that never refills, in Redis and in memory (the receiver's rateLimit option)", () => {
    expect(() => createRedisRateLimiter({ url: TEST_REDIS_URL, refillPerS: 0 })).toThrow('refillPerS: expected a positive number, got 0');
    expect(() => createReceiver({ store: {} as Store, rateLimit: { capacity: 10, refillPerS: 0 } })).toThrow(
      'refillPerS: expected a positive number, got 0',
    );
  });

  describe('shared by receivers', () => {
    const receivers: Receiver[] = [];
    afterEach(async () => {
      for (const r of receivers.splice(0)) await r.close();
    });

    it('answers 429 on one receiver once a client used its burst on another', async () => {
      const clock = createClock(NOW);
      for (let i = 0; i < 2; i++) receivers.push(createTestReceiver({ rateLimiter: limiter({ capacity: 2, refillPerS: 1 }) }, clock));
      const send = (r: Receiver) =>
        r.fetch(
          new Request('http://receiver.test/collect', {
            method: 'POST',
            ...post(batchOf(bounce('v_visitor_0001', clock.now()), clock.now())),
          }),
          { clientIp: '203.0.113.7' },
        );
      expect((await send(receivers[0]!)).status).toBe(202);
      expect((await send(receivers[0]!)).status).toBe(202);
      const refused = await send(receivers[1]!);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('1');
    });
  });
});
