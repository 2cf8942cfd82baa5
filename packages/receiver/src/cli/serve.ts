import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { OptionsError } from '../errors.js';
import { listen } from '../adapters/node.js';
import type { ListenOptions } from '../adapters/node.js';
import { importPeer } from '../lib/peer-dependency.js';
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
  db: {
    type: 'string',
    env: 'INKLING_DB',
    value: 'file|url',
    help: `SQLite file, :memory:, or postgres:// URL shared by several receivers (default ${DEFAULT_DB}, or DATABASE_URL when postgres://)`,
  },
  redis: {
    type: 'string',
    env: 'INKLING_REDIS_URL',
    value: 'url',
    help: 'Redis URL: share the rate limit between receivers (default: each process keeps its own)',
  },
  origin: {
    type: 'string',
    multiple: true,
    env: 'INKLING_ORIGINS',
    value: 'url',
    help: 'Origin allowed to post from a browser; repeat for several (default: any)',
  },
  site: { type: 'string', multiple: true, env: 'INKLING_SITES', value: 'id', help: 'Site id accepted; repeat for several (default: any)' },
  'free-mail-domains': {
    type: 'string',
    multiple: true,
    env: 'INKLING_FREE_MAIL_DOMAINS',
    value: 'domain',
    help: 'E-mail domain that never makes an account, beyond the shipped free-mail list; repeat for several',
  },
  'webhook-url': {
    type: 'string',
    multiple: true,
    env: 'INKLING_WEBHOOK_URL',
    value: 'url',
    help: 'Where to POST signed intent webhooks; repeat for several',
  },
  // Paired with --webhook-url by position, so no environment variable: a list of lists does not fit in one.
  'webhook-topics': {
    type: 'string',
    multiple: true,
    value: 'a,b|*',
    help: 'Topics the n-th --webhook-url gets leads on (comma-separated, * for every lead); one per URL, in order',
  },
  'webhook-secret': {
    type: 'string',
    multiple: true,
    env: 'INKLING_WEBHOOK_SECRET',
    value: 'whsec_...',
    help: 'Signing secret; repeat to rotate (prefer the environment variable)',
  },
  'api-key': {
    type: 'string',
    env: 'INKLING_API_KEY',
    value: 'key',
    help: 'Key for /leads, /dashboard and /events (prefer the environment variable)',
  },
  model: {
    type: 'string',
    env: 'INKLING_MODEL',
    value: 'file',
    help: 'Intent model JSON, e.g. from inkling calibrate (default: the built-in model)',
  },
  'allow-private-networks': {
    type: 'boolean',
    env: 'INKLING_ALLOW_PRIVATE_NETWORKS',
    help: 'Let webhooks reach loopback and private addresses (local demos only)',
  },
  'score-bots': {
    type: 'boolean',
    env: 'INKLING_SCORE_BOTS',
    help: 'Score automated browsers as people (demos and tests only; never in production)',
  },
  'accept-gpc': { type: 'boolean', env: 'INKLING_ACCEPT_GPC', help: 'Store events from browsers sending Sec-GPC: 1 (default: drop them)' },
  'retention-days': {
    type: 'string',
    env: 'INKLING_RETENTION_DAYS',
    value: 'n',
    help: 'Delete events older than this many days (default: keep)',
  },
  'rate-limit': {
    type: 'string',
    env: 'INKLING_RATE_LIMIT',
    value: 'n|off',
    help: 'Batches per second per site and client IP, or off (default 5)',
  },
  'rate-burst': {
    type: 'string',
    env: 'INKLING_RATE_BURST',
    value: 'n',
    help: 'Batches a site and client IP may send at once (default 60)',
  },
  'address-rate-limit': {
    type: 'string',
    env: 'INKLING_ADDRESS_RATE_LIMIT',
    value: 'n',
    help: 'Batches per second per client IP, all sites together (default twice --rate-limit)',
  },
  'address-rate-burst': {
    type: 'string',
    env: 'INKLING_ADDRESS_RATE_BURST',
    value: 'n',
    help: 'Batches a client IP may send at once, all sites together (default twice --rate-burst)',
  },
  'headers-timeout': {
    type: 'string',
    env: 'INKLING_HEADERS_TIMEOUT',
    value: 'ms',
    help: 'Time a client may take to send its request headers (default 10000)',
  },
  'request-timeout': {
    type: 'string',
    env: 'INKLING_REQUEST_TIMEOUT',
    value: 'ms',
    help: 'Time a client may take to send a whole request (default 30000)',
  },
  'keep-alive-timeout': {
    type: 'string',
    env: 'INKLING_KEEP_ALIVE_TIMEOUT',
    value: 'ms',
    help: 'Time an idle connection stays open (default 5000)',
  },
  'max-connections-per-address': {
    type: 'string',
    env: 'INKLING_MAX_CONNECTIONS_PER_ADDRESS',
    value: 'n',
    help: 'Open connections one client IP may hold; 0 for no cap (default 64; 0 with --trust-proxy)',
  },
  'trust-proxy': {
    type: 'boolean',
    env: 'INKLING_TRUST_PROXY',
    help: 'Rate-limit on the last X-Forwarded-For address (behind your own proxy only)',
  },
  'base-path': { type: 'string', env: 'INKLING_BASE_PATH', value: 'path', help: 'Prefix for every route, e.g. /inkling' },
};

/**
 * The flag that sets each receiver option (by `OptionsError.path`, list indexes dropped), so an option error names
 * the flag or variable the user typed. `capacity`, `refillPerS` and `url` come from the shared rate limiter.
 */
const OPTION_FLAGS: Record<string, string> = {
  'webhooks.url': 'webhook-url',
  'webhooks.secret': 'webhook-secret',
  'webhooks.topics': 'webhook-topics',
  allowedOrigins: 'origin',
  sites: 'site',
  apiKey: 'api-key',
  model: 'model',
  retentionDays: 'retention-days',
  freeMailDomains: 'free-mail-domains',
  basePath: 'base-path',
  database: 'db',
  capacity: 'rate-burst',
  refillPerS: 'rate-limit',
  url: 'redis',
  'perAddress.capacity': 'address-rate-burst',
  'perAddress.refillPerS': 'address-rate-limit',
  headersTimeoutMs: 'headers-timeout',
  requestTimeoutMs: 'request-timeout',
  keepAliveTimeoutMs: 'keep-alive-timeout',
  maxConnectionsPerAddress: 'max-connections-per-address',
};

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
    const reason =
      error instanceof SyntaxError
        ? `not JSON (${error.message})`
        : (error as NodeJS.ErrnoException).code === 'ENOENT'
          ? 'no such file'
          : String(error);
    throw new CliError(`${file.source}: cannot read the model file ${JSON.stringify(file.value)}: ${reason}`);
  }
}

function getRateLimit(values: Values): Pick<ReceiverOptions, 'rateLimit'> {
  const rate = values['rate-limit'];
  const burst = values['rate-burst'];
  const addressRate = values['address-rate-limit'];
  const addressBurst = values['address-rate-burst'];
  if (rate?.value === 'off') {
    const extra = addressRate ?? addressBurst;
    if (extra) throw new CliError(`${extra.source}: given with ${rate.source} off; drop one of them`);
    return { rateLimit: false };
  }
  if (!rate && !burst && !addressRate && !addressBurst) return {};
  const perAddress = {
    ...(addressRate ? { refillPerS: toInteger(addressRate, 1, 1_000_000, 'batches per second') } : {}),
    ...(addressBurst ? { capacity: toInteger(addressBurst, 1, 1_000_000, 'a number of batches') } : {}),
  };
  return {
    rateLimit: {
      ...(rate ? { refillPerS: toInteger(rate, 1, 1_000_000, 'batches per second (or off)') } : {}),
      ...(burst ? { capacity: toInteger(burst, 1, 1_000_000, 'a number of batches') } : {}),
      ...(addressRate || addressBurst ? { perAddress } : {}),
    },
  };
}

/** The timeouts and connection cap of the HTTP server, from their flags. */
function getServerLimits(values: Values): Omit<ListenOptions, 'port' | 'host'> {
  const ms = (name: string) => (values[name] ? toInteger(values[name], 1, 3_600_000, 'a number of milliseconds') : undefined);
  const limits: Omit<ListenOptions, 'port' | 'host'> = {};
  const headers = ms('headers-timeout');
  const request = ms('request-timeout');
  const keepAlive = ms('keep-alive-timeout');
  if (headers !== undefined) limits.headersTimeoutMs = headers;
  if (request !== undefined) limits.requestTimeoutMs = request;
  if (keepAlive !== undefined) limits.keepAliveTimeoutMs = keepAlive;
  const cap = values['max-connections-per-address'];
  if (cap) limits.maxConnectionsPerAddress = toInteger(cap, 0, 1_000_000, 'a number of connections');
  return limits;
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
  if (values['rate-limit']?.value === 'off')
    throw new CliError(`${redis.source}: given with ${values['rate-limit'].source} off; drop one of them`);
  const url = String(redis.value);
  if (!/^rediss?:\/\//.test(url))
    throw new CliError(`${redis.source}: expected a redis:// or rediss:// URL, got ${JSON.stringify(redactUrl(url))}`);
  return url;
}

/** Turns `serve`'s flags and environment into receiver options and where to listen. Throws a `CliError`. */
export function getServeOptions(
  args: string[],
  env: Record<string, string | undefined>,
): {
  help: boolean;
  port: number;
  host: string;
  db: string;
  redis: string | undefined;
  server: Omit<ListenOptions, 'port' | 'host'>;
  options: ReceiverOptions;
  values: Values;
} {
  const values = parseFlags('serve', args, SERVE_FLAGS, env);
  const port = values['port'] ? toInteger(values['port'], 0, 65535, 'a port number') : 8787;
  const db = getDatabase(values, env);
  const redis = getRedis(values);
  const urls = list(values, 'webhook-url') ?? [];
  const secrets = list(values, 'webhook-secret') ?? [];
  if (urls.length && !secrets.length)
    throw new CliError(
      '--webhook-url: needs a signing secret too; set --webhook-secret (or INKLING_WEBHOOK_SECRET) to a "whsec_" + base64 secret',
    );
  if (secrets.length && !urls.length)
    throw new CliError('--webhook-secret: given without --webhook-url (or INKLING_WEBHOOK_URL); add the URL to send webhooks to');
  const topics = getWebhookTopics(values, urls.length);
  const origins = list(values, 'origin');
  const sites = list(values, 'site');
  const freeMailDomains = list(values, 'free-mail-domains')?.flatMap((d) => d.split(',').filter(Boolean));
  const apiKey = text(values, 'api-key');
  const model = readModel(values);
  const basePath = text(values, 'base-path');
  const options: ReceiverOptions = {
    database: db,
    allowPrivateNetworks: values['allow-private-networks']?.value === true,
    acceptGpc: values['accept-gpc']?.value === true,
    ...(values['score-bots']?.value === true ? { scoreBots: true } : {}),
    trustProxy: values['trust-proxy']?.value === true,
    webhooks: urls.map((url, i) => ({ url, secret: secrets, ...(topics[i] ? { topics: topics[i] } : {}) })),
    ...(origins ? { allowedOrigins: origins } : {}),
    ...(sites ? { sites } : {}),
    ...(freeMailDomains ? { freeMailDomains } : {}),
    ...(apiKey ? { apiKey } : {}),
    ...(model ? { model } : {}),
    ...(basePath ? { basePath } : {}),
    ...getRateLimit(values),
    ...(values['retention-days'] ? { retentionDays: toInteger(values['retention-days'], 1, 36500, 'a number of days') } : {}),
  };
  const server = getServerLimits(values);
  // Behind a proxy every connection comes from the proxy: a per-address cap would cut off its pooled connections.
  if (options.trustProxy && server.maxConnectionsPerAddress === undefined) server.maxConnectionsPerAddress = 0;
  return { help: values['help']?.value === true, port, host: text(values, 'host') ?? '127.0.0.1', db, redis, server, options, values };
}

/**
 * `--webhook-topics`, one per `--webhook-url` in the same order: `payroll,tax` limits that endpoint to leads
 * researching payroll or tax, `*` sends it every lead. Without the flag every endpoint gets every lead.
 */
function getWebhookTopics(values: Values, urlCount: number): (string[] | undefined)[] {
  const given = list(values, 'webhook-topics');
  if (!given) return [];
  if (given.length !== urlCount) {
    throw new CliError(
      `--webhook-topics: given ${given.length} time(s) for ${urlCount} --webhook-url; give one per URL, in the same order (* for every lead)`,
    );
  }
  return given.map((value) => (value.trim() === '*' ? undefined : value.split(',').map((topic) => topic.trim())));
}

/** Rewrites an option error so it names the flag or variable the value came from. */
function toCliError(error: OptionsError, values: Values): CliError {
  const flag = OPTION_FLAGS[error.path.replace(/\[\d+\]/g, '')];
  return new CliError(flag ? `${values[flag]?.source ?? `--${flag}`}: ${error.rule}` : error.message);
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
  const report = (error: unknown) => io.stderr(`inkling: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  // Until the store is open, errors wait: the one that stops the start is reported once, as the command's error.
  let early: unknown[] | undefined = [];
  const onError = (error: unknown) => (early ? early.push(error) : report(error));
  let rateLimiter: RedisRateLimiter | undefined;
  let receiver;
  try {
    if (config.redis) {
      // ioredis is an optional peer dependency: without it, say so now rather than on the first batch.
      await importPeer('ioredis', 'url', () => import('ioredis'));
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
    const failed = await receiver.ready.then(
      () => undefined,
      (error: unknown) => ({ error }),
    );
    for (const error of early) if (error !== failed?.error) report(error);
    early = undefined;
    if (failed) throw failed.error;
    server = await listen(receiver, { port: config.port, host: config.host, ...config.server });
  } catch (error) {
    await receiver.close().catch(() => undefined);
    await rateLimiter?.close();
    throw error instanceof OptionsError ? toCliError(error, config.values) : error;
  }
  io.stdout(`Inkling receiver listening on ${server.url}\n`);
  io.stdout(`  collect:   POST ${server.url}${receiver.routes.collect}\n`);
  io.stdout(
    `  dashboard: ${server.url}${receiver.routes.dashboard}${config.options.apiKey ? '?key=<api key>' : ' (set --api-key to open it)'}\n`,
  );
  io.stdout(`  database:  ${postgres ? redactUrl(config.db) : config.db}\n`);
  if (config.redis) io.stdout(`  rate limit: shared through ${redactUrl(config.redis)}\n`);
  if (config.options.scoreBots) io.stderr('inkling: --score-bots: automated browsers are scored as people; for demos and tests only\n');
  if (!config.options.allowedOrigins)
    io.stderr("inkling: no --origin given: batches are accepted from any origin; list your sites' origins in production\n");
  await new Promise<void>((resolve) => {
    if (io.signal?.aborted) return resolve();
    io.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  await server.close();
  await rateLimiter?.close();
  io.stdout('Inkling receiver stopped\n');
  return 0;
}
