// Fails the receiver's tests at once, with the fix, when the PostgreSQL or Redis server they need is missing.
// Each test that needs one also fails on its own with the same message, so without this file nothing is skipped
// either: it only saves waiting for every test to fail.
import { checkPostgres } from './postgres.js';
import { checkRedis } from './redis.js';

export default async function setup(): Promise<void> {
  const results = await Promise.allSettled([checkPostgres(), checkRedis()]);
  const problems = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as Error).message] : []));
  if (problems.length) throw new Error(problems.join('\n'));
}
