import { getByteLength } from '@inkling/core';
import { InklingError, RequestError } from '../errors.js';
import type { Cors } from '../http/cors.js';
import { readBody } from '../http/body.js';
import { errorResponse, jsonResponse } from '../http/responses.js';
import type { ReceiverLimits } from '../options.js';
import type { RateLimiter } from '../rate-limit/memory-rate-limit.js';
import type { InsertResult, Store } from '../store/types.js';
import { isBotUserAgent } from './bots.js';
import { checkNesting } from './nesting.js';
import { correctTime } from './skew.js';
import { validateEvents } from './validate.js';
import type { RejectedEvent } from './validate.js';

/** What the collector answers with 202. */
export interface CollectResult {
  /** Events stored by this request, and `forget` events carried out (under GPC they erase without being stored). */
  accepted: number;
  /** Events already stored earlier (a retry). */
  duplicates: number;
  /** Events not stored because the request carried `Sec-GPC: 1`; `forget` events are never among them. */
  dropped?: number;
  /**
   * Events refused because they broke the wire format, by index, while the rest of the batch was stored. Present
   * only when some were: a client must not send them again (they would be refused again).
   */
  rejected?: RejectedEvent[];
}

export interface CollectorDeps {
  store: Store;
  cors: Cors;
  limits: ReceiverLimits;
  sites: ReadonlySet<string> | undefined;
  /** E-mail domains that never make an account, beyond the shipped list. */
  freeMailDomains?: ReadonlySet<string>;
  rateLimiter: RateLimiter | undefined;
  acceptGpc: boolean;
  botPatterns: readonly RegExp[];
  /** Score batches from automated browsers as people's (demos and tests only). */
  scoreBots: boolean;
  now: () => number;
  /** Called after events were stored: scoring runs off the request path. */
  onStored: (result: InsertResult) => void;
  /** Called for each visitor whose batch asked to be forgotten. */
  onForget: (site: string, visitor: string) => Promise<unknown>;
  /** Failures that are not the client's fault (the store is down): answered 500, reported here. */
  onError: (error: unknown) => void;
}

const MEDIA_TYPES = new Set(['text/plain', 'application/json']);

function checkContentType(header: string | null): void {
  const [type = '', ...params] = (header ?? '')
    .toLowerCase()
    .split(';')
    .map((s) => s.trim());
  const charset = params.find((p) => p.startsWith('charset='));
  if (!MEDIA_TYPES.has(type) || (charset && !/^charset="?utf-8"?$/.test(charset))) {
    throw new RequestError(
      'unsupported_media_type',
      415,
      `content-type: expected text/plain or application/json (UTF-8), got ${JSON.stringify(header ?? '')}`,
    );
  }
}

function parse(body: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch (error) {
    const detail = error instanceof SyntaxError ? error.message : 'not valid UTF-8';
    throw new RequestError('bad_json', 400, `body: expected a JSON batch, got unparsable text (${detail})`);
  }
}

/** Checks the size limits that must be answered 413 (so clients split) before the wire format is validated. */
function checkSizes(input: unknown, limits: ReceiverLimits): void {
  const events = (input as { events?: unknown } | null)?.events;
  if (!Array.isArray(events)) return;
  if (events.length > limits.maxEvents) {
    throw new RequestError(
      'too_many_events',
      413,
      `events: ${events.length} events, at most ${limits.maxEvents} in one batch; split the batch`,
    );
  }
  events.forEach((event, i) => {
    const bytes = getByteLength(JSON.stringify(event) ?? '');
    if (bytes > limits.maxEventBytes) {
      throw new RequestError('event_too_large', 413, `events[${i}]: ${bytes} bytes, at most ${limits.maxEventBytes} for one event`);
    }
  });
}

function getSite(input: unknown): unknown {
  return (input as { site?: unknown } | null)?.site;
}

function rateLimited(what: string, retryAfterS: number): RequestError {
  return new RequestError('rate_limited', 429, `rate limit: too many batches ${what}; retry after ${retryAfterS} s`, {
    headers: { 'retry-after': String(retryAfterS) },
  });
}

/** `POST /collect`: the hardened collector. Every refusal is an answer with a stable code; nothing throws out. */
export function createCollector(deps: CollectorDeps): (request: Request, clientIp: string) => Promise<Response> {
  async function collect(request: Request, clientIp: string, corsHeaders: Record<string, string>): Promise<Response> {
    checkContentType(request.headers.get('content-type'));
    const input = parse(await readBody(request, deps.limits.maxBodyBytes));
    checkNesting(input);
    const site = getSite(input);
    // Refused before it costs a token, a validation or a query. A site that is not a string is left to validation,
    // which names the rule it broke.
    if (deps.sites && typeof site === 'string' && !deps.sites.has(site)) {
      throw new RequestError(
        'unknown_site',
        403,
        `site: ${JSON.stringify(site.slice(0, 128))} is not a site this receiver accepts; check the tracker's site option`,
      );
    }
    if (deps.rateLimiter) {
      // The address's bucket first: naming a new site on every batch must not buy a client a fresh bucket.
      const now = deps.now();
      const byAddress = await deps.rateLimiter.take(clientIp, now, 'address');
      if (!byAddress.allowed) throw rateLimited('from this address', byAddress.retryAfterS);
      const bySite = await deps.rateLimiter.take(`${typeof site === 'string' ? site.slice(0, 128) : ''}|${clientIp}`, now, 'site');
      if (!bySite.allowed) throw rateLimited('from this address for this site', bySite.retryAfterS);
    }
    checkSizes(input, deps.limits);
    const { batch, rejected } = validateEvents(input);
    const partial: Pick<CollectResult, 'rejected'> = rejected.length ? { rejected } : {};
    const forgets = batch.events.filter((e) => e.type === 'forget');
    const forgetting = new Set(forgets.map((e) => e.visitor));
    if (request.headers.get('sec-gpc') === '1' && !deps.acceptGpc) {
      // Erasure wins over every drop rule: a visitor asking to be forgotten is forgotten, whatever else the request
      // says, and a forget is never counted as dropped (a client would then believe the erasure did not happen).
      for (const visitor of forgetting) await deps.onForget(batch.site, visitor);
      const body: CollectResult = { accepted: forgets.length, duplicates: 0, dropped: batch.events.length - forgets.length, ...partial };
      return jsonResponse(body, 202, corsHeaders);
    }

    const receivedAt = deps.now();
    const bot = !deps.scoreBots && isBotUserAgent(request.headers.get('user-agent'), deps.botPatterns);
    const events = batch.events.map((event) => ({ event, ...correctTime(event.ts, batch.sentAt, receivedAt) }));
    const stored = await deps.store.insertEvents({
      site: batch.site,
      sentAt: batch.sentAt,
      receivedAt,
      bot,
      events,
      ...(deps.freeMailDomains?.size ? { freeMailDomains: deps.freeMailDomains } : {}),
    });
    // Bot traffic is stored flagged, and its forgets are carried out like anyone's.
    for (const visitor of forgetting) await deps.onForget(batch.site, visitor);
    deps.onStored(stored);
    const body: CollectResult = { accepted: stored.accepted, duplicates: stored.duplicates, ...partial };
    return jsonResponse(body, 202, corsHeaders);
  }

  return async (request, clientIp) => {
    const origin = request.headers.get('origin');
    const corsHeaders = deps.cors.getHeaders(origin);
    if (request.method === 'OPTIONS') {
      if (origin === null || !deps.cors.isAllowed(origin))
        return errorResponse(
          new RequestError('origin_not_allowed', 403, `origin: ${JSON.stringify(origin ?? '')} may not post to this receiver`),
          { vary: 'Origin' },
        );
      return new Response(null, { status: 204, headers: deps.cors.getPreflightHeaders(origin) });
    }
    try {
      if (request.method !== 'POST')
        throw new RequestError('method_not_allowed', 405, `method: expected POST (or OPTIONS), got ${request.method}`, {
          headers: { allow: 'POST, OPTIONS' },
        });
      if (!deps.cors.isAllowed(origin))
        throw new RequestError(
          'origin_not_allowed',
          403,
          `origin: ${JSON.stringify(origin)} may not post to this receiver; add it to the allowed origins (the allowedOrigins option, or --origin / INKLING_ORIGINS of inkling serve)`,
        );
      return await collect(request, clientIp, corsHeaders);
    } catch (error) {
      if (!(error instanceof InklingError)) deps.onError(error);
      // A 4xx must still be readable by an allowed page, or its client cannot tell "rejected" from "offline".
      return errorResponse(error, corsHeaders);
    }
  };
}
