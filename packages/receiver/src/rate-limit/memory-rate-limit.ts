import { OptionsError } from '../errors.js';

/** The outcome of one {@link RateLimiter.take}. */
export interface RateLimitResult {
  allowed: boolean;
  /** Seconds until a request would be allowed again (0 when allowed). */
  retryAfterS: number;
}

/**
 * Which bucket a key is taken from: `address`, one per client address across every site (taken first, so that
 * inventing site names buys a client nothing), then `site`, one per site and client address.
 */
export type RateLimitBucket = 'address' | 'site';

/**
 * Decides whether a request may proceed. Async so that a shared implementation (Redis, for several receivers
 * behind a load balancer) fits the same interface as the in-memory one.
 */
export interface RateLimiter {
  /**
   * Takes one token for `key` at time `now` (ms) from a bucket of the given kind. The receiver's keys are the
   * client address (`address`) and `site|address` (`site`), so a limiter that ignores `bucket` still keeps them apart.
   */
  take(key: string, now: number, bucket?: RateLimitBucket): Promise<RateLimitResult>;
}

/** The size of a token bucket. */
export interface BucketOptions {
  /** Burst size: requests a key may make at once. */
  capacity?: number;
  /** Tokens added back per second: the sustained rate. */
  refillPerS?: number;
}

/** Options of {@link createMemoryRateLimiter}. */
export interface MemoryRateLimiterOptions {
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
   * Keys remembered; past this, keys whose bucket has refilled are forgotten (they would start full anyway).
   * @default 50000
   */
  maxKeys?: number;
}

/**
 * The bucket both limiters use, with their defaults (a burst of 60 batches, 5 a second sustained), checked: a bucket
 * that never refills would answer `Retry-After: Infinity`.
 */
export function resolveBucket(
  options: { capacity?: number | undefined; refillPerS?: number | undefined },
  path = '',
): { capacity: number; refillPerS: number } {
  const bucket = { capacity: options.capacity ?? 60, refillPerS: options.refillPerS ?? 5 };
  for (const [name, value] of Object.entries(bucket)) {
    if (!(value > 0 && Number.isFinite(value))) throw new OptionsError(path + name, `expected a positive number, got ${value}`);
  }
  return bucket;
}

/** Both buckets' sizes, checked: an address may make twice the per-site requests unless told otherwise. */
export function resolveBuckets(options: {
  capacity?: number | undefined;
  refillPerS?: number | undefined;
  perAddress?: BucketOptions | undefined;
}): Record<RateLimitBucket, { capacity: number; refillPerS: number }> {
  const site = resolveBucket(options);
  const address = options.perAddress ?? {};
  return {
    site,
    address: resolveBucket(
      { capacity: address.capacity ?? site.capacity * 2, refillPerS: address.refillPerS ?? site.refillPerS * 2 },
      'perAddress.',
    ),
  };
}

interface Bucket {
  tokens: number;
  at: number;
  capacity: number;
  refillPerS: number;
}

/**
 * A token bucket per key, in this process's memory. Defaults: a burst of 60 batches and 5 a second sustained per
 * site and client IP, and twice that per client IP across all sites. A browser sends at most one batch per 5 s
 * while a page is open, so this leaves room for an office of visitors behind one NAT address while stopping a loop
 * that floods the collector.
 */
export function createMemoryRateLimiter(options: MemoryRateLimiterOptions = {}): RateLimiter {
  const sizes = resolveBuckets(options);
  const maxKeys = options.maxKeys ?? 50_000;
  const buckets = new Map<string, Bucket>();

  function refill(bucket: Bucket, now: number): void {
    bucket.tokens = Math.min(bucket.capacity, bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * bucket.refillPerS);
    bucket.at = now;
  }

  function prune(now: number): void {
    for (const [key, bucket] of buckets) {
      refill(bucket, now);
      if (bucket.tokens >= bucket.capacity) buckets.delete(key);
    }
    // Everyone is busy: drop the oldest keys (Map keeps insertion order) rather than grow without bound.
    for (const key of buckets.keys()) {
      if (buckets.size < maxKeys) break;
      buckets.delete(key);
    }
  }

  return {
    async take(key, now, kind = 'site') {
      // Kinds apart, whatever the caller's keys look like.
      const id = `${kind}:${key}`;
      let bucket = buckets.get(id);
      if (!bucket) {
        if (buckets.size >= maxKeys) prune(now);
        bucket = { tokens: sizes[kind].capacity, at: now, ...sizes[kind] };
        buckets.set(id, bucket);
      }
      refill(bucket, now);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { allowed: true, retryAfterS: 0 };
      }
      return { allowed: false, retryAfterS: Math.max(1, Math.ceil((1 - bucket.tokens) / bucket.refillPerS)) };
    },
  };
}
