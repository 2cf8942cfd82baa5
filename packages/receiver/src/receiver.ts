import { DAY_MS, DEFAULT_MODEL, HOUR_MS, parseModel } from '@inkling/core';
import type { Model } from '@inkling/core';
import { createCollector } from './collect/collect.js';
import { MAX_EVENT_AGE_MS } from './collect/skew.js';
import { InklingError, OptionsError } from './errors.js';
import { createCors } from './http/cors.js';
import { errorResponse, jsonResponse } from './http/responses.js';
import { createRouter, matchRoute } from './http/router.js';
import type { Route } from './http/router.js';
import type { ReceiverLimits, ReceiverOptions, ReceiverRoutes } from './options.js';
import { resolveOptions } from './options.js';
import { handleDashboard } from './pages/dashboard.js';
import { handleEvents } from './pages/events-page.js';
import { handleAccount, handleAccounts } from './pages/accounts-api.js';
import { handleAccountPage, handleAccountsPage } from './pages/accounts-page.js';
import { handleLead, handleLeads } from './pages/leads-api.js';
import { handleLeadPage } from './pages/lead-page.js';
import { authorizePage, handleLogout } from './pages/sign-in.js';
import { createMemoryRateLimiter } from './rate-limit/memory-rate-limit.js';
import { handleModelPage } from './pages/model-page.js';
import { handleOutcome } from './pages/outcome-api.js';
import { getCalibrationSummary } from './scoring/model-info.js';
import { createLazyStore, openStore } from './store/open.js';
import type { EraseResult, Store } from './store/types.js';
import { createBackground } from './background.js';
import { createDelivery } from './webhooks/delivery.js';
import { createScoring } from './scoring/scoring-worker.js';
import type { WebhookSender } from './webhooks/sender.js';

/** Per-request context an adapter passes to {@link Receiver.fetch}. */
export interface FetchContext {
  /** The client's IP address, for rate limiting (adapters fill it in from the socket). */
  clientIp?: string;
  /**
   * Keeps work alive after the answer on serverless runtimes (`ctx.waitUntil` on Workers, `waitUntil` from
   * `@vercel/functions`): scoring and webhooks for a batch run in it.
   */
  waitUntil?: (promise: Promise<unknown>) => void;
}

/** A receiver: one Fetch-API handler, its store and its background work. */
export interface Receiver {
  /** Answers a request to any receiver route; other paths get 404 `not_found`. */
  fetch(request: Request, context?: FetchContext): Promise<Response>;
  /** True when `pathname` is one of the receiver's routes (adapters pass other paths on). */
  handles(pathname: string): boolean;
  /** The store in use. */
  readonly store: Store;
  /** The resolved collector limits (adapters read the body with the same cap). */
  readonly limits: ReceiverLimits;
  /** The resolved route paths. */
  readonly routes: ReceiverRoutes;
  /** Settles when the store is open; rejects when it cannot be (a missing native module, a bad path). */
  readonly ready: Promise<void>;
  /** Scores every dirty lead and attempts every due webhook now; resolves when done. */
  flush(): Promise<void>;
  /** Re-scores stale warm and hot leads (decay) and applies retention now, then flushes. */
  sweep(): Promise<void>;
  /** Erases a visitor: their events, identity link, lead data and pending webhooks. */
  erase(site: string, visitor: string): Promise<EraseResult>;
  /** Re-enables a webhook endpoint disabled by a 410 answer. */
  enableEndpoint(url: string): Promise<void>;
  /** Stops background work, then closes the store (when the receiver opened it). */
  close(): Promise<void>;
}

/** Warm and hot leads are re-scored when their score is older than this, so time decay can cool them. */
export const RESCORE_AFTER_MS = HOUR_MS;
/** Dedupe keys are kept as long as a stored event may be old: the client's 7-day queue limit, plus a day. */
export const DEDUPE_WINDOW_MS = MAX_EVENT_AGE_MS;
/** Delivered and failed webhooks are kept this long for inspection. */
const OUTBOX_KEEP_MS = 7 * DAY_MS;

function getClientIp(request: Request, context: FetchContext, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = request.headers.get('x-forwarded-for')?.split(',').pop()?.trim();
    if (forwarded) return forwarded;
  }
  return context.clientIp ?? 'unknown';
}

/**
 * Creates a receiver: the collector, the lead API and dashboard, server-side scoring and signed webhooks, behind
 * one Fetch-API handler. Throws an `OptionsError` naming a bad option.
 *
 * @example
 * const receiver = createReceiver({ database: 'inkling.db', allowedOrigins: ['https://www.example.com'], apiKey: process.env.INKLING_API_KEY });
 * export const POST = (request: Request) => receiver.fetch(request);
 */
export function createReceiver(options: ReceiverOptions = {}): Receiver {
  const resolved = resolveOptions(options);
  const now = options.now ?? Date.now;
  const onError = options.onError ?? ((error: unknown) => console.error('[inkling]', error));
  let model: Model | undefined;
  if (options.model !== undefined) {
    try {
      model = parseModel(options.model);
    } catch (error) {
      throw new OptionsError('model', error instanceof Error ? error.message : String(error));
    }
  }
  // What `inkling calibrate` wrote into the model file about it, for the model page.
  const calibration = getCalibrationSummary(options.model);
  const ownsStore = options.store === undefined;
  const lazy = ownsStore ? createLazyStore(() => openStore(options.database ?? ':memory:', { onError })) : undefined;
  const store: Store = options.store ?? lazy!;
  const ready = lazy ? lazy.ready.then(() => undefined) : Promise.resolve();
  // Reported once here; every request then answers 500 until the store opens.
  ready.catch(onError);

  let sender: Promise<WebhookSender> | undefined;
  const getSender = () =>
    (sender ??= options.webhookSender
      ? Promise.resolve(options.webhookSender)
      : import('./webhooks/node-sender.js').then((m) => m.sendWithNode));

  let scoring: ReturnType<typeof createScoring> | undefined;
  // The model is resolved on first use, so a receiver that only collects never needs it.
  const getModel = () => (model ??= DEFAULT_MODEL);
  const scoreDirty = () =>
    (scoring ??= createScoring({
      store,
      model: getModel(),
      now,
      endpoints: resolved.webhooks,
      slack: resolved.slack,
      onError,
    })).scoreDirty();
  const delivery = createDelivery({
    store,
    endpoints: resolved.webhooks,
    slackUrls: resolved.slack.map((d) => d.url),
    now,
    random: options.random ?? Math.random,
    getSender,
    timeoutMs: resolved.webhookTimeoutMs,
    allowPrivateNetworks: options.allowPrivateNetworks ?? false,
  });
  const background = createBackground(
    {
      scoreDirty,
      deliverDue: delivery.deliverDue,
      async sweep() {
        const at = now();
        await store.markStaleLeads(['warm', 'hot'], at - RESCORE_AFTER_MS);
        await store.markStaleAccounts(['warm', 'hot'], at - RESCORE_AFTER_MS);
        if (resolved.retentionDays !== undefined) {
          await store.deleteEventsBefore(at - resolved.retentionDays * DAY_MS);
          await store.deleteOutcomesBefore(at - resolved.retentionDays * DAY_MS);
        }
        await store.deleteDedupeKeysBefore(at - DEDUPE_WINDOW_MS);
        await store.pruneMessages(at - OUTBOX_KEEP_MS);
      },
    },
    { tickMs: 1000, sweepMs: RESCORE_AFTER_MS / 4, timers: options.background ?? true, onError },
  );

  const erase = (site: string, visitor: string) => store.erase(site, visitor);
  const collect = createCollector({
    store,
    cors: createCors(resolved.allowedOrigins),
    limits: resolved.limits,
    sites: resolved.sites,
    freeMailDomains: resolved.freeMailDomains,
    rateLimiter: options.rateLimiter ?? (options.rateLimit === false ? undefined : createMemoryRateLimiter(options.rateLimit ?? {})),
    acceptGpc: options.acceptGpc ?? false,
    botPatterns: options.botPatterns ?? [],
    scoreBots: options.scoreBots ?? false,
    now,
    onStored: () => background.kick(),
    onForget: erase,
    onError,
  });

  const GET = ['GET', 'HEAD'] as const;
  const scoreBots = options.scoreBots ?? false;
  /** A row for an HTML page: served once `authorizePage` lets the request in (its cookie is scoped to `cookiePath`). */
  const page = (
    handle: (request: Request, url: URL, id: string) => Promise<Response>,
    cookiePath = resolved.routes.dashboard,
  ): Route<FetchContext> => ({
    methods: GET,
    async handle({ request, url, id }) {
      const denied = await authorizePage(request, url, { apiKey: options.apiKey, cookiePath, now: now() });
      return denied ?? handle(request, url, id);
    },
  });
  const route = createRouter<FetchContext>(
    resolved.routes,
    {
      collect: {
        async handle({ request }, context) {
          const response = await collect(request, getClientIp(request, context, options.trustProxy ?? false));
          if (context.waitUntil && response.status === 202) context.waitUntil(background.flush());
          return response;
        },
      },
      health: {
        methods: GET,
        async handle() {
          try {
            await ready;
          } catch {
            throw new InklingError('store_unavailable', 503, 'store: it could not be opened; see the receiver logs');
          }
          return jsonResponse({ status: 'ok' });
        },
      },
      leads: { methods: GET, auth: 'api', handle: ({ url }) => handleLeads(url, store) },
      lead: { methods: GET, auth: 'api', handle: ({ url, id }) => handleLead(url, id, store, getModel().conversions) },
      accounts: { methods: GET, auth: 'api', handle: ({ url }) => handleAccounts(url, store) },
      account: { methods: GET, auth: 'api', handle: ({ url, id }) => handleAccount(url, id, store) },
      // Outcomes: the one write of the lead API, from a CRM or a script (so the key only in the header).
      outcome: { methods: ['POST'], auth: 'api', handle: ({ request, id }) => handleOutcome(request, id, store, now()) },
      // The HTML pages check their own sign-in: a session cookie, or the key once in `?key=` (pages/sign-in.ts).
      dashboard: page((request, url) =>
        handleDashboard(request, url, store, { dashboardPath: resolved.routes.dashboard, scoreBots, now: now() }),
      ),
      leadPage: page((_, url, id) =>
        handleLeadPage(url, id, store, { model: getModel(), dashboardPath: resolved.routes.dashboard, now: now() }),
      ),
      accountsPage: page((request, url) => handleAccountsPage(request, url, store, { dashboardPath: resolved.routes.dashboard })),
      accountPage: page((_, url, id) => handleAccountPage(url, id, store, { dashboardPath: resolved.routes.dashboard, now: now() })),
      events: page((request, url) => handleEvents(request, url, store, scoreBots), resolved.routes.events),
      model: page(async () => handleModelPage(getModel(), calibration)),
      logout: { methods: GET, handle: async ({ url }) => handleLogout(url, resolved.routes.dashboard) },
    },
    options.apiKey,
  );

  return {
    async fetch(request, context = {}) {
      try {
        return await route(request, context);
      } catch (error) {
        if (!(error instanceof InklingError)) onError(error);
        return errorResponse(error);
      }
    },
    handles: (pathname) => matchRoute(resolved.routes, pathname) !== undefined,
    store,
    limits: resolved.limits,
    routes: resolved.routes,
    ready,
    flush: () => background.flush(),
    sweep: () => background.sweep(),
    erase,
    enableEndpoint: (url) => store.enableEndpoint(url),
    async close() {
      await background.stop();
      if (ownsStore) await store.close();
    },
  };
}
