// The Redis server the tests use. A missing server fails the tests that need it with the fix in the message: never
// a silent skip.
import { Redis } from 'ioredis';

/** The server the tests use: INKLING_TEST_REDIS, else the one `.ci/run` starts. */
export const TEST_REDIS_URL = process.env['INKLING_TEST_REDIS'] ?? 'redis://127.0.0.1:6379';

let reachable: Promise<void> | undefined;

/** Throws, with how to start the server, unless the test server answers PING. Checked once per test file. */
export function checkRedis(): Promise<void> {
  return (reachable ??= (async () => {
    const client = new Redis(TEST_REDIS_URL, {
      lazyConnect: true,
      connectTimeout: 2000,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    // The socket's own error (ECONNREFUSED) says more than the rejection ("Connection is closed.").
    let cause: (Error & { code?: string }) | undefined;
    client.on('error', (error: Error) => void (cause ??= error));
    try {
      await client.connect();
      await client.ping();
    } catch (error) {
      const url = new URL(TEST_REDIS_URL);
      const reason = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
      throw new Error(
        `Redis is not reachable at ${url.hostname}:${url.port || '6379'} (${reason}), and the shared rate-limit tests need it: ` +
          'start it with `redis-server --daemonize yes --bind 127.0.0.1` (.ci/run does), or set INKLING_TEST_REDIS to its URL (redis://host:port).',
        { cause: error },
      );
    } finally {
      client.disconnect();
    }
  })());
}

/** A client on the test server, to inspect or clean up keys. */
export async function openTestRedis(): Promise<Redis> {
  await checkRedis();
  return new Redis(TEST_REDIS_URL);
}
