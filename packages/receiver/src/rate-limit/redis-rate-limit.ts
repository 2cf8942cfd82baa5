import type { Redis } from 'ioredis';
import { InklingError, OptionsError } from '../errors.js';
import { importPeer } from '../lib/peer-dependency.js';
import { resolveBuckets } from './memory-rate-limit.js';
import type { BucketOptions, RateLimiter, RateLimitResult } from './memory-rate-limit.js';

/** Options of {@link createRedisRateLimiter}. */
export interface RedisRateLimiterOptions {
  /** Where Redis is: `redis://[user:password@]host:6379[/db]`, or `rediss://` for TLS. Ignored when `client` is given. */
  url?: string;
  /** An ioredis client of your own (Sentinel, Cluster, custom TLS). `close()` leaves it open. */
  client?: Redis;
  /**
   * Burst size: requests a key may make at once.
   * @default 60
   */
  capacity?: number;
  /**
   * Tokens added back per second: the sustained rate.
   * @default 5
   */
  refillPerS?: number;
  /**
   * The bucket of each client address, across all sites, checked before the per-site one.
   * @default twice the per-site bucket: { capacity: 120, refillPerS: 10 }
   */
  perAddress?: BucketOptions;
  /**
   * Prefix of the bucket keys, to keep several Inkling installations apart on one Redis.
   * @default 'inkling:rate:'
   */
  prefix?: string;
  /**
   * How long one check may wait for Redis; past it the request is let through.
   * @default 500
   */
  timeoutMs?: number;
  /** Redis could not be reached (reported once per outage, not once per request). @default console.error */
  onError?: (error: unknown) => void;
}

/** A {@link RateLimiter} on Redis, with its connection to close. */
export interface RedisRateLimiter extends RateLimiter {
  /** Closes the connection it opened (not a `client` passed in). */
  close(): Promise<void>;
}

/**
 * One token bucket per key, refilled and taken from in a single Lua script, so receivers checking the same key at
 * the same moment cannot both take its last token. `now` comes from the receiver: a receiver whose clock is behind
 * the bucket's never refills it backwards. A bucket expires once it would be full again: a missing bucket is a full one.
 */
const TAKE_SCRIPT = `
local now = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local rate = tonumber(ARGV[3])
local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(bucket[1]) or capacity
local at = tonumber(bucket[2]) or now
if now > at then
  tokens = math.min(capacity, tokens + (now - at) / 1000 * rate)
  at = now
end
local retry = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  retry = math.max(1, math.ceil((1 - tokens) / rate))
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(at))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate * 1000) + 1000)
return retry
`;

type TakeCommand = { inklingTake(key: string, now: number, capacity: number, refillPerS: number): Promise<number> };

/**
 * A rate limiter shared by every receiver that points at the same Redis: the same defaults and buckets as
 * {@link createMemoryRateLimiter}, but one bucket per site and client IP, and one per client IP, across the whole cluster. ioredis is
 * imported on the first check, so importing the package never loads it.
 *
 * When Redis cannot be reached the request is let through and `onError` hears of it once: an outage of the limiter
 * must not turn into lost events (the store, not the limiter, is what keeps data correct).
 *
 * @example
 * const rateLimiter = createRedisRateLimiter({ url: process.env.INKLING_REDIS_URL });
 * const receiver = createReceiver({ database: process.env.DATABASE_URL, rateLimiter });
 */
export function createRedisRateLimiter(options: RedisRateLimiterOptions = {}): RedisRateLimiter {
  const sizes = resolveBuckets(options);
  const prefix = options.prefix ?? 'inkling:rate:';
  const timeoutMs = options.timeoutMs ?? 500;
  const onError = options.onError ?? ((error: unknown) => console.error('[inkling]', error));
  if (!options.client && !options.url) throw new OptionsError('url', 'expected a redis:// URL (or pass client), got nothing');
  let connection: Promise<Redis> | undefined;
  let failing = false;

  async function connect(): Promise<Redis> {
    let client = options.client;
    if (!client) {
      const { Redis } = await importPeer('ioredis', 'url', () => import('ioredis'));
      // Commands wait for a (re)connection at most timeoutMs, then fail: a request never hangs on a Redis outage.
      client = new Redis(options.url!, { commandTimeout: timeoutMs, maxRetriesPerRequest: 1, connectTimeout: 2000 });
      // Failures are reported by take(), once per outage; without a listener ioredis would log every reconnect.
      client.on('error', () => undefined);
    }
    client.defineCommand('inklingTake', { numberOfKeys: 1, lua: TAKE_SCRIPT });
    return client;
  }

  return {
    async take(key, now, kind = 'site'): Promise<RateLimitResult> {
      try {
        const client = (await (connection ??= connect())) as unknown as TakeCommand;
        const { capacity, refillPerS } = sizes[kind];
        // Site keys stay as they were (`prefix + site|address`); address keys get their own namespace.
        const retryAfterS = await client.inklingTake(prefix + (kind === 'site' ? key : `${kind}:${key}`), now, capacity, refillPerS);
        failing = false;
        return { allowed: retryAfterS === 0, retryAfterS };
      } catch (error) {
        if (!failing) {
          failing = true;
          const reason = error instanceof Error ? error.message : String(error);
          onError(
            new InklingError(
              'rate_limiter_unavailable',
              503,
              `rate limit: Redis did not answer (${reason}); letting requests through until it does`,
            ),
          );
        }
        return { allowed: true, retryAfterS: 0 };
      }
    },
    async close() {
      if (!connection || options.client) return;
      const client = await connection;
      // QUIT waits for the server; a client that is not connected is simply dropped.
      if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
      else client.disconnect();
    },
  };
}
