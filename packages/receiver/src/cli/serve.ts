import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { OptionsError } from '../errors.js';
import { listen } from '../adapters/node.js';
import type { ReceiverOptions } from '../options.js';
import { createReceiver } from '../receiver.js';
import { redactUrl } from '../lib/redact-url.js';
import { createRedisRateLimiter } from '../rate-limit/redis-rate-limit.js';
import type { RedisRateLimiter } from '../rate-limit/redis-rate-limit.js';
import { isPostgresUrl } from '../store/open.js';
import type { Flag, Values } from './args.js';
import { formatHelp, parseFlags, toInteger } from './args.js';
import type { CliIo } from './io.js';
import { CliError } from './io.js';

/** The default database file of `inkling serve`, relative to the working directory. */
export const DEFAULT_DB = '.inkling/inkling.db';

export const SERVE_FLAGS: Record<string, Flag> = {
  port: { type: 'string', env: 'INKLING_PORT', value: 'n', help: 'Port to listen on (0 picks a free one; default 8787)' },
  host: { type: 'string', env: 'INKLING_HOST', value: 'address', help: 'Address to bind (default 127.0.0.1; 0.0.0.0 for other machines)' },
  db: { type: 'string', env: 'INKLING_DB', value: 'file|url', help: `SQLite file, :memory:, or postgres:// URL shared by several receivers (default ${DEFAULT_DB}, or DATABASE_URL when postgres://)` },
  redis: { type: 'string', env: 'INKLING_REDIS_URL', value: 'url', help: 'Redis URL: share the rate limit between receivers (default: each process keeps its own)' },
  origin: { type: 'string', multiple: true, env: 'INKLING_ORIGINS', value: 'url', help: 'Origin allowed to post from a browser; repeat for several (default: any)' },
  site: { type: 'string', multiple: true, env: 'INKLING_SITES', value: 'id', help: 'Site id accepted; repeat for several (default: any)' },
  'webhook-url': { type: 'string', multiple: true, env: 'INKLING_WEBHOOK_URL', value: 'url', help: 'Where to POST signed intent webhooks; repeat for several' },
  'webhook-secret': { type: 'string', multiple: true, env: 'INKLING_WEBHOOK_SECRET', value: 'whsec_...', help: 'Signing secret; repeat to rotate (prefer the environment variable)' },
  'api-key': { type: 'string', env: 'INKLING_API_KEY', value: 'key', help: 'Key for /leads, /dashboard and /events (prefer the environment variable)' },
  model: { type: 'string', env: 'INKLING_MODEL', value: 'file', help: 'Intent model JSON, e.g. from inkling calibrate (default: the built-in model)' },
  'allow-private-networks': { type: 'boolean', env: 'INKLING_ALLOW_PRIVATE_NETWORKS', help: 'Let webhooks reach loopback and private addresses (local demos only)' },
  'accept-gpc': { type: 'boolean', env: 'INKLING_ACCEPT_GPC', help: 'Store events from browsers sending Sec-GPC: 1 (default: drop them)' },
  'retention-days': { type: 'string', env: 'INKLING_RETENTION_DAYS', value: 'n', help: 'Delete events older than this many days (default: keep)' },
  'rate-limit': { type: 'string', env: 'INKLING_RATE_LIMIT', value: 'n|off', help: 'Batches per second per site and client IP, or off (default 5)' },
  'rate-burst': { type: 'string', env: 'INKLING_RATE_BURST', value: 'n', help: 'Batches a site and client IP may send at once (default 60)' },
  'trust-proxy': { type: 'boolean', env: 'INKLING_TRUST_PROXY', help: 'Rate-limit on the last X-Forwarded-For address (behind your own proxy only)' },
  'base-path': { type: 'string', env: 'INKLING_BASE_PATH', value: 'path', help: 'Prefix for every route, e.g. /inkling' },
};

/** Receiver options' names as the flags that set them, so an option error names the flag the user typed. */
const OPTION_FLAGS: [RegExp, string][] = [
  [/^webhooks\[\d+\]\.url/, 'webhook-url'],
  [/^webhooks\[\d+\]\.secret/, 'webhook-secret'],
  [/^allowedOrigins\[\d+\]/, 'origin'],
  [/^sites/, 'site'],
  [/^apiKey/, 'api-key'],
  [/^model/, 'model'],
  [/^retentionDays/, 'retention-days'],
  [/^basePath/, 'base-path'],
];

export const SERVE_HELP = formatHelp(
  'inkling serve [options]',
  'Run the receiver: the collector, the lead API and dashboard, scoring and webhooks.\nEvery option can also be set by the environment variable in brackets.',
  SERVE_FLAGS,
);

function list(values: Values, name: string): string[] | undefined {
  const v = values[name]?.value;
  return v === undefined ? undefined : (v as string[]);
}

function text(values: Values, name: string): string | undefined {
  const v = values[name]?.value;
  return typeof v === 'string' ? v : undefined;
}

function readModel(values: Values): object | undefined {
  const file = values['model'];
  if (!file) return undefined;
  try {
    return JSON.parse(readFileSync(String(file.value), 'utf8')) as object;
  } catch (error) {
    const reason = error instanceof SyntaxError ? `not JSON (${error.message})` : (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error);
    throw new CliError(`${file.source}: cannot read the model file ${JSON.stringify(file.value)}: ${reason}`);
  }
}

function getRateLimit(values: Values): Pick<ReceiverOptions, 'rateLimit'> {
  const rate = values['rate-limit'];
  const burst = values['rate-burst'];
  if (rate?.value === 'off') return { rateLimit: false };
  if (!rate && !burst) return {};
  return {
    rateLimit: {
      ...(rate ? { refillPerS: toInteger(rate, 1, 1_000_000, 'batches per second (or off)') } : {}),
      ...(burst ? { capacity: toInteger(burst, 1, 1_000_000, 'a number of batches') } : {}),
    },
  };
}

/** The database to open: `--db`, else INKLING_DB, else DATABASE_URL when it names PostgreSQL (the variable platforms set). */
function getDatabase(values: Values, env: Record<string, string | undefined>): string {
  const db = text(values, 'db');
  if (db !== undefined) return db;
  const shared = env['DATABASE_URL'];
  return shared && isPostgresUrl(shared) ? shared : DEFAULT_DB;
}

/** The shared rate limiter's URL, refused when rate limiting is off (the two flags contradict each other). */
function getRedis(values: Values): string | undefined {
  const redis = values['redis'];
  if (!redis) return undefined;
  if (values['rate-limit']?.value === 'off') throw new CliError(`${redis.source}: given with ${values['rate-limit'].source} off; drop one of them`);
  const url = String(redis.value);
  if (!/^rediss?:\/\//.test(url)) throw new CliError(`${redis.source}: expected a redis:// or rediss:// URL, got ${JSON.stringify(redactUrl(url))}`);
  return url;
}

/** Turns `serve`'s flags and environment into receiver options and where to listen. Throws a `CliError`. */
export function getServeOptions(
  args: string[],
  env: Record<string, string | undefined>,
): { help: boolean; port: number; host: string; db: string; redis: string | undefined; options: ReceiverOptions; values: Values } {
  const values = parseFlags('serve', args, SERVE_FLAGS, env);
  const port = values['port'] ? toInteger(values['port'], 0, 65535, 'a port number') : 8787;
  const db = getDatabase(values, env);
  const redis = getRedis(values);
  const urls = list(values, 'webhook-url') ?? [];
  const secrets = list(values, 'webhook-secret') ?? [];
  if (urls.length && !secrets.length) throw new CliError('--webhook-url: needs a signing secret too; set --webhook-secret (or INKLING_WEBHOOK_SECRET) to a "whsec_" + base64 secret');
  if (secrets.length && !urls.length) throw new CliError('--webhook-secret: given without --webhook-url (or INKLING_WEBHOOK_URL); add the URL to send webhooks to');
  const origins = list(values, 'origin');
  const sites = list(values, 'site');
  const apiKey = text(values, 'api-key');
  const model = readModel(values);
  const basePath = text(values, 'base-path');
  const options: ReceiverOptions = {
    database: db,
    allowPrivateNetworks: values['allow-private-networks']?.value === true,
    acceptGpc: values['accept-gpc']?.value === true,
    trustProxy: values['trust-proxy']?.value === true,
    webhooks: urls.map((url) => ({ url, secret: secrets })),
    ...(origins ? { allowedOrigins: origins } : {}),
    ...(sites ? { sites } : {}),
    ...(apiKey ? { apiKey } : {}),
    ...(model ? { model } : {}),
    ...(basePath ? { basePath } : {}),
    ...getRateLimit(values),
    ...(values['retention-days'] ? { retentionDays: toInteger(values['retention-days'], 1, 36500, 'a number of days') } : {}),
  };
  return { help: values['help']?.value === true, port, host: text(values, 'host') ?? '127.0.0.1', db, redis, options, values };
}

/** Rewrites an option error so it names the flag or variable the value came from. */
function toCliError(error: OptionsError, values: Values): CliError {
  for (const [pattern, flag] of OPTION_FLAGS) {
    if (pattern.test(error.message)) return new CliError(error.message.replace(/^[^:]+:/, `${values[flag]?.source ?? `--${flag}`}:`));
  }
  return new CliError(error.message);
}

/** `inkling serve`: runs until `io.signal` aborts (SIGINT / SIGTERM in the real CLI), then shuts down cleanly. */
export async function serveCommand(args: string[], io: CliIo): Promise<number> {
  const config = getServeOptions(args, io.env ?? {});
  if (config.help) {
    io.stdout(SERVE_HELP);
    return 0;
  }
  const postgres = isPostgresUrl(config.db);
  if (!postgres && config.db !== ':memory:') mkdirSync(dirname(config.db), { recursive: true });
  const onError = (error: unknown) => io.stderr(`inkling: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  let rateLimiter: RedisRateLimiter | undefined;
  let receiver;
  try {
    if (config.redis) {
      const bucket = typeof config.options.rateLimit === 'object' ? config.options.rateLimit : {};
      rateLimiter = createRedisRateLimiter({ url: config.redis, ...bucket, onError });
    }
    receiver = createReceiver({ ...config.options, ...(rateLimiter ? { rateLimiter } : {}), onError });
  } catch (error) {
    await rateLimiter?.close();
    throw error instanceof OptionsError ? toCliError(error, config.values) : error;
  }
  let server: Awaited<ReturnType<typeof listen>>;
  try {
    await receiver.ready;
    server = await listen(receiver, { port: config.port, host: config.host });
  } catch (error) {
    await receiver.close().catch(() => undefined);
    await rateLimiter?.close();
    throw error;
  }
  io.stdout(`Inkling receiver listening on ${server.url}\n`);
  io.stdout(`  collect:   POST ${server.url}${receiver.routes.collect}\n`);
  io.stdout(`  dashboard: ${server.url}${receiver.routes.dashboard}${config.options.apiKey ? '?key=<api key>' : ' (set --api-key to open it)'}\n`);
  io.stdout(`  database:  ${postgres ? redactUrl(config.db) : config.db}\n`);
  if (config.redis) io.stdout(`  rate limit: shared through ${redactUrl(config.redis)}\n`);
  if (!config.options.allowedOrigins) io.stderr('inkling: no --origin given: batches are accepted from any origin; list your sites\' origins in production\n');
  await new Promise<void>((resolve) => {
    if (io.signal?.aborted) return resolve();
    io.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  await server.close();
  await rateLimiter?.close();
  io.stdout('Inkling receiver stopped\n');
  return 0;
}
