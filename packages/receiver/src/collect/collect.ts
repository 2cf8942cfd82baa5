import { getByteLength, validateBatch } from '@inkling/core';
import type { Batch } from '@inkling/core';
import { InklingError, RequestError } from '../errors.js';
import type { Cors } from '../http/cors.js';
import { readBody } from '../http/body.js';
import { errorResponse, jsonResponse } from '../http/responses.js';
import type { ReceiverLimits } from '../options.js';
import type { RateLimiter } from '../rate-limit/memory-rate-limit.js';
import type { InsertResult, Store } from '../store/types.js';
import { isBotUserAgent } from './bots.js';
import { correctTime } from './skew.js';

/** What the collector answers with 202. */
export interface CollectResult {
  /** Events stored by this request. */
  accepted: number;
  /** Events already stored earlier (a retry). */
  duplicates: number;
  /** Events not stored because the request carried `Sec-GPC: 1`. */
  dropped?: number;
}

export interface CollectorDeps {
  store: Store;
  cors: Cors;
  limits: ReceiverLimits;
  sites: ReadonlySet<string> | undefined;
  rateLimiter: RateLimiter | undefined;
  acceptGpc: boolean;
  botPatterns: readonly RegExp[];
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
  const [type = '', ...params] = (header ?? '').toLowerCase().split(';').map((s) => s.trim());
  const charset = params.find((p) => p.startsWith('charset='));
  if (!MEDIA_TYPES.has(type) || (charset && !/^charset="?utf-8"?$/.test(charset))) {
    throw new RequestError('unsupported_media_type', 415, `content-type: expected text/plain or application/json (UTF-8), got ${JSON.stringify(header ?? '')}`);
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
    throw new RequestError('too_many_events', 413, `events: ${events.length} events, at most ${limits.maxEvents} in one batch; split the batch`);
  }
  events.forEach((event, i) => {
    const bytes = getByteLength(JSON.stringify(event) ?? '');
    if (bytes > limits.maxEventBytes) {
      throw new RequestError('event_too_large', 413, `events[${i}]: ${bytes} bytes, at most ${limits.maxEventBytes} for one event`);
    }
  });
}

function getSite(input: unknown): string {
  const site = (input as { site?: unknown } | null)?.site;
  return typeof site === 'string' ? site.slice(0, 128) : '';
}

/** `POST /collect`: the hardened collector. Every refusal is an answer with a stable code; nothing throws out. */
export function createCollector(deps: CollectorDeps): (request: Request, clientIp: string) => Promise<Response> {
  async function collect(request: Request, clientIp: string, corsHeaders: Record<string, string>): Promise<Response> {
    checkContentType(request.headers.get('content-type'));
    const input = parse(await readBody(request, deps.limits.maxBodyBytes));
    if (deps.rateLimiter) {
      // Sites off the allowlist share one bucket, so inventing site names does not buy a client fresh buckets.
      const site = getSite(input);
      const key = deps.sites && !deps.sites.has(site) ? '' : site;
      const verdict = await deps.rateLimiter.take(`${key}|${clientIp}`, deps.now());
      if (!verdict.allowed) {
        throw new RequestError('rate_limited', 429, `rate limit: too many batches from this address for this site; retry after ${verdict.retryAfterS} s`, {
          headers: { 'retry-after': String(verdict.retryAfterS) },
        });
      }
    }
    checkSizes(input, deps.limits);
    const result = validateBatch(input);
    if (!result.ok) throw new RequestError('invalid_batch', 400, result.message, { issues: result.issues });
    const batch: Batch = result.value;
    if (deps.sites && !deps.sites.has(batch.site)) {
      throw new RequestError('unknown_site', 403, `site: ${JSON.stringify(batch.site)} is not a site this receiver accepts; check the tracker's site option`);
    }
    if (request.headers.get('sec-gpc') === '1' && !deps.acceptGpc) {
      const body: CollectResult = { accepted: 0, duplicates: 0, dropped: batch.events.length };
      return jsonResponse(body, 202, corsHeaders);
    }

    const receivedAt = deps.now();
    const bot = isBotUserAgent(request.headers.get('user-agent'), deps.botPatterns);
    const events = batch.events.map((event) => ({ event, ...correctTime(event.ts, batch.sentAt, receivedAt) }));
    const stored = await deps.store.insertEvents({ site: batch.site, sentAt: batch.sentAt, receivedAt, bot, events });
    const forgetting = new Set(batch.events.filter((e) => e.type === 'forget').map((e) => e.visitor));
    for (const visitor of forgetting) await deps.onForget(batch.site, visitor);
    deps.onStored(stored);
    const body: CollectResult = { accepted: stored.accepted, duplicates: stored.duplicates };
    return jsonResponse(body, 202, corsHeaders);
  }

  return async (request, clientIp) => {
    const origin = request.headers.get('origin');
    const corsHeaders = deps.cors.getHeaders(origin);
    if (request.method === 'OPTIONS') {
      if (origin === null || !deps.cors.isAllowed(origin)) return errorResponse(new RequestError('origin_not_allowed', 403, `origin: ${JSON.stringify(origin ?? '')} may not post to this receiver`), { vary: 'Origin' });
      return new Response(null, { status: 204, headers: deps.cors.getPreflightHeaders(origin) });
    }
    try {
      if (request.method !== 'POST') throw new RequestError('method_not_allowed', 405, `method: expected POST (or OPTIONS), got ${request.method}`, { headers: { allow: 'POST, OPTIONS' } });
      if (!deps.cors.isAllowed(origin)) throw new RequestError('origin_not_allowed', 403, `origin: ${JSON.stringify(origin)} may not post to this receiver; add it to allowedOrigins`);
      return await collect(request, clientIp, corsHeaders);
    } catch (error) {
      if (!(error instanceof InklingError)) deps.onError(error);
      // A 4xx must still be readable by an allowed page, or its client cannot tell "rejected" from "offline".
      return errorResponse(error, corsHeaders);
    }
  };
}
