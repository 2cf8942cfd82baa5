import { LIMITS } from '@inkling/core';
import { OptionsError } from './errors.js';
import type { MemoryRateLimiterOptions, RateLimiter } from './rate-limit/memory-rate-limit.js';
import type { Store } from './store/types.js';
import type { WebhookSender } from './webhooks/sender.js';
import type { SlackDestination } from './webhooks/slack.js';
import type { WebhookEndpoint } from './webhooks/delivery.js';

/** Paths the receiver answers, relative to `basePath`. */
export interface ReceiverRoutes {
  /** `POST` batches here (and `OPTIONS` for preflights). @default '/collect' */
  collect: string;
  /** The lead API: `GET /leads` and `GET /leads/:id`. @default '/leads' */
  leads: string;
  /** The account API: `GET /accounts` and `GET /accounts/:id` (members, topics, reasons, timeline). @default '/accounts' */
  accounts: string;
  /**
   * The HTML dashboard: the leads list here, each lead's page at `<dashboard>/leads/:id`, and `<dashboard>/logout`.
   * @default '/dashboard'
   */
  dashboard: string;
  /** Recently stored events, newest first (HTML for browsers, JSON otherwise). @default '/events' */
  events: string;
  /** Liveness and store check. @default '/health' */
  health: string;
}

/** Collector limits. The defaults are the wire format's (`LIMITS` in `@inkling/core`). */
export interface ReceiverLimits {
  /** Bytes of one request body; more is answered 413 `body_too_large`. @default 65536 */
  maxBodyBytes: number;
  /** Events in one batch; more is answered 413 `too_many_events` (clients split on 413). @default 100 */
  maxEvents: number;
  /** Bytes of one event as JSON; more is answered 413 `event_too_large`, naming the event. @default 8192 */
  maxEventBytes: number;
}

/** Options of `createReceiver()`. Every option is optional; the defaults suit a local trial. */
export interface ReceiverOptions {
  /**
   * Where events, leads and webhooks are kept. When omitted, the store `database` names is opened on first use
   * (better-sqlite3 or `pg` is loaded only then, so runtimes without native modules can pass their own store).
   */
  store?: Store;
  /**
   * The built-in store to open: a SQLite file (`:memory:` keeps everything in memory and loses it on exit), or a
   * `postgres://` URL for several receivers sharing one database (the schema is created and migrated on start).
   * @default ':memory:'
   * @example 'postgres://inkling:secret@db.internal:5432/inkling'
   */
  database?: string;
  /**
   * Site ids this receiver accepts; a batch for another site is answered 403 `unknown_site`, before it costs a
   * rate-limit token, a validation or a query. @default any site
   */
  sites?: readonly string[];
  /**
   * Origins allowed to post from a browser (`https://www.example.com`), or `'*'` for any. A batch from another
   * origin is refused with 403 `origin_not_allowed` and no CORS headers.
   * @default '*'
   */
  allowedOrigins?: readonly string[] | '*';
  /**
   * The key for the lead API, the dashboard and the events page (`Authorization: Bearer <key>`). A person opens a
   * page once with `?key=<key>` (or types it into the sign-in form) and gets an HttpOnly, SameSite=Strict session
   * cookie for that page's path, with the key taken out of the address. Without a key those routes answer 401:
   * lead data is never served unprotected.
   */
  apiKey?: string;
  /** A prefix for every route, for mounting under a path (`/inkling`). @default '' */
  basePath?: string;
  /** Route paths. */
  routes?: Partial<ReceiverRoutes>;
  /** Collector limits. */
  limits?: Partial<ReceiverLimits>;
  /**
   * The built-in token buckets — one per client IP across all sites (`perAddress`), checked first, then one per site
   * and client IP — or `false` to turn rate limiting off (load tests).
   * @default { capacity: 60, refillPerS: 5, perAddress: { capacity: 120, refillPerS: 10 } }
   */
  rateLimit?: MemoryRateLimiterOptions | false;
  /** A rate limiter of your own (shared across receivers); replaces `rateLimit`. */
  rateLimiter?: RateLimiter;
  /**
   * Take the client IP for rate limiting from the last `X-Forwarded-For` entry (the address your proxy saw).
   * Only behind a proxy you run: otherwise clients choose their own rate-limit key.
   * @default false
   */
  trustProxy?: boolean;
  /**
   * Store events from requests carrying `Sec-GPC: 1` (Global Privacy Control). By default they are answered 202
   * (so clients do not retry) and nothing is stored.
   * @default false
   */
  acceptGpc?: boolean;
  /** An intent model (parsed JSON, e.g. a file written by `inkling calibrate`). @default core's default model */
  model?: object;
  /** Where to send signed intent webhooks (Standard Webhooks) when a lead's level changes. @default [] */
  webhooks?: readonly WebhookEndpoint[];
  /**
   * Slack incoming webhooks to post warm, hot and converted leads to, as Block Kit messages with a button to the
   * lead's page. Same outbox, retries and private-network rule as `webhooks`. @default []
   * @example [{ url: process.env.SLACK_WEBHOOK_URL, dashboardUrl: 'https://inkling.example.com/dashboard' }]
   */
  slack?: readonly SlackDestination[];
  /**
   * Let webhooks reach loopback, private and link-local addresses. Off by default: a webhook URL must not become
   * a way into the receiver's own network. Turn on for local demos and tests.
   * @default false
   */
  allowPrivateNetworks?: boolean;
  /** How long a webhook attempt may take before it counts as failed. @default 15000 */
  webhookTimeoutMs?: number;
  /** Sends webhook requests; replace it on runtimes without `node:http`. @default a node:http sender with a DNS guard */
  webhookSender?: WebhookSender;
  /** Delete events older than this many days (by corrected time), checked every 15 minutes. @default keep events */
  retentionDays?: number;
  /**
   * E-mail domains that never make an account, beyond the shipped free-mail and disposable list (`gmail.com`,
   * `mailinator.com`, ...): an ISP's domain, a university's student mail. Subdomains are covered.
   * @default []
   */
  freeMailDomains?: readonly string[];
  /**
   * Score, deliver and sweep on timers. Turn off where timers cannot outlive a request (serverless: pass
   * `waitUntil` to `fetch`, or call `flush()`), and in tests.
   * @default true
   */
  background?: boolean;
  /** Extra user-agent patterns to flag as bots. */
  botPatterns?: readonly RegExp[];
  /**
   * Score batches from automated browsers (a headless Chromium, a crawler) as if a person sent them, instead of
   * storing them flagged `bot` and leaving them out of scoring. For demos and tests driven by an automated
   * browser; never in production, where it lets crawlers become leads. `inkling serve --score-bots`.
   * @default false
   */
  scoreBots?: boolean;
  /** Background failures (a webhook store error, a lead that fails to score) and 500s. @default console.error */
  onError?: (error: unknown) => void;
  /** The clock, ms since the epoch; tests move it to test retries and decay without sleeping. @default Date.now */
  now?: () => number;
  /** Randomness for retry jitter, in [0, 1). @default Math.random */
  random?: () => number;
}

const DEFAULT_ROUTES: ReceiverRoutes = {
  collect: '/collect',
  leads: '/leads',
  accounts: '/accounts',
  dashboard: '/dashboard',
  events: '/events',
  health: '/health',
};

/** Options with every default applied and every value checked. */
export interface ResolvedOptions {
  routes: ReceiverRoutes;
  limits: ReceiverLimits;
  sites: ReadonlySet<string> | undefined;
  allowedOrigins: readonly string[] | '*';
  webhooks: readonly WebhookEndpoint[];
  slack: readonly SlackDestination[];
  webhookTimeoutMs: number;
  retentionDays: number | undefined;
  /** `freeMailDomains`, lower-case. */
  freeMailDomains: ReadonlySet<string>;
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0) throw new OptionsError(name, `expected a whole number above 0, got ${String(value)}`);
  return value;
}

function checkDomain(name: string, value: unknown): string {
  const domain = typeof value === 'string' ? value.trim().toLowerCase().replace(/^@/, '') : '';
  if (/^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(domain)) return domain;
  throw new OptionsError(name, `expected an e-mail domain such as "example-isp.net", got ${JSON.stringify(value)}`);
}

function checkPath(name: string, value: string, allowEmpty: boolean): string {
  if ((allowEmpty && value === '') || /^\/[A-Za-z0-9._~\-/]*[A-Za-z0-9._~-]$|^\/$/.test(value)) return value;
  throw new OptionsError(name, `expected a path such as "/collect" (starting with "/", no trailing "/"), got ${JSON.stringify(value)}`);
}

function checkOrigin(name: string, value: string): string {
  try {
    const url = new URL(value);
    if ((url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value.replace(/\/$/, '')) return value;
  } catch {
    // Reported below with the fix.
  }
  throw new OptionsError(
    name,
    `expected an origin such as "https://www.example.com" (scheme, host, optional port; no path), got ${JSON.stringify(value)}`,
  );
}

function isHttpUrl(value: unknown): boolean {
  try {
    const url = new URL(String(value));
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Checks an endpoint's topic list and lower-cases it, as pages' topics are. */
function checkTopics(name: string, topics: readonly string[] | undefined): { topics?: readonly string[] } {
  if (topics === undefined) return {};
  if (!Array.isArray(topics) || topics.length === 0)
    throw new OptionsError(name, 'expected a non-empty list of topic names such as ["payroll"] (omit it to send every lead)');
  return {
    topics: topics.map((topic: unknown, i) => {
      if (typeof topic !== 'string' || topic.trim() === '' || topic.length > 64)
        throw new OptionsError(`${name}[${i}]`, `expected a topic name of 1 to 64 characters, got ${JSON.stringify(topic)}`);
      return topic.trim().toLowerCase();
    }),
  };
}

function checkSlack(name: string, destination: SlackDestination, webhooks: readonly WebhookEndpoint[]): SlackDestination {
  // The URL is a secret (it lets anyone post to the channel): never echoed.
  if (!isHttpUrl(destination.url))
    throw new OptionsError(
      `${name}.url`,
      `expected the Slack incoming-webhook URL (https://hooks.slack.com/services/...); the value given is not an http(s) URL`,
    );
  if (webhooks.some((w) => w.url === destination.url))
    throw new OptionsError(`${name}.url`, `also listed in webhooks; a URL gets either signed webhooks or Slack messages, so list it once`);
  if (destination.dashboardUrl !== undefined && !isHttpUrl(destination.dashboardUrl)) {
    throw new OptionsError(
      `${name}.dashboardUrl`,
      `expected the dashboard's public address such as "https://inkling.example.com/dashboard", got ${JSON.stringify(destination.dashboardUrl)}`,
    );
  }
  return { ...destination, ...checkTopics(`${name}.topics`, destination.topics) };
}

function checkWebhook(name: string, endpoint: WebhookEndpoint): WebhookEndpoint {
  let url: URL | undefined;
  try {
    url = new URL(endpoint.url);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new OptionsError(`${name}.url`, `expected an absolute http(s) URL, got ${JSON.stringify(endpoint.url)}`);
  }
  const secrets = typeof endpoint.secret === 'string' ? [endpoint.secret] : endpoint.secret;
  if (secrets.length === 0) throw new OptionsError(`${name}.secret`, `expected at least one "whsec_..." secret, got none`);
  for (const secret of secrets) {
    // Never echo a secret: name the rule only.
    if (!/^whsec_[A-Za-z0-9+/]{16,}={0,2}$/.test(secret))
      throw new OptionsError(`${name}.secret`, `expected "whsec_" followed by base64 (at least 12 random bytes); the value given is not`);
  }
  return { ...endpoint, ...checkTopics(`${name}.topics`, endpoint.topics) };
}

/** Applies defaults and checks every option; throws an `OptionsError` naming the option, the value and the fix. */
export function resolveOptions(options: ReceiverOptions): ResolvedOptions {
  const basePath = checkPath('basePath', options.basePath ?? '', true);
  const routes = { ...DEFAULT_ROUTES };
  for (const key of Object.keys(DEFAULT_ROUTES) as (keyof ReceiverRoutes)[]) {
    routes[key] = basePath + checkPath(`routes.${key}`, options.routes?.[key] ?? DEFAULT_ROUTES[key], false);
  }
  const limits: ReceiverLimits = {
    maxBodyBytes: positiveInteger('limits.maxBodyBytes', options.limits?.maxBodyBytes, LIMITS.MAX_BATCH_BYTES),
    maxEvents: positiveInteger('limits.maxEvents', options.limits?.maxEvents, LIMITS.MAX_BATCH_EVENTS),
    maxEventBytes: positiveInteger('limits.maxEventBytes', options.limits?.maxEventBytes, LIMITS.MAX_EVENT_BYTES),
  };
  if (options.sites && options.sites.length === 0)
    throw new OptionsError('sites', 'expected at least one site id, got an empty list (omit it to accept any site)');
  const origins = options.allowedOrigins ?? '*';
  if (origins !== '*') origins.forEach((o, i) => checkOrigin(`allowedOrigins[${i}]`, o));
  if (options.apiKey !== undefined && options.apiKey.length < 16)
    throw new OptionsError('apiKey', 'expected at least 16 characters (a random key); the value given is shorter');
  const webhooks = (options.webhooks ?? []).map((w, i) => checkWebhook(`webhooks[${i}]`, w));
  const slack = (options.slack ?? []).map((d, i) => checkSlack(`slack[${i}]`, d, webhooks));
  const retentionDays = options.retentionDays === undefined ? undefined : positiveInteger('retentionDays', options.retentionDays, 0);
  const freeMailDomains = new Set((options.freeMailDomains ?? []).map((d, i) => checkDomain(`freeMailDomains[${i}]`, d)));
  return {
    routes,
    limits,
    sites: options.sites ? new Set(options.sites) : undefined,
    allowedOrigins: origins,
    webhooks,
    slack,
    webhookTimeoutMs: positiveInteger('webhookTimeoutMs', options.webhookTimeoutMs, 15_000),
    retentionDays,
    freeMailDomains,
  };
}
