import { DAY_MS, LIMITS, parseModel } from '@inkling/core';
import type { Model } from '@inkling/core';
import { isKind, listPatterns } from './signals/page-kind.js';
import type { KindRules } from './signals/page-kind.js';
import { MAX_UNLOAD_BYTES } from './queue/queue.js';
import type { QueueLimits } from './queue/queue.js';
import { getOptionMessage } from './errors/messages.js';
import type { OptionErrorCode } from './errors/messages.js';
import { createHttpTransport } from './transport/http.js';
import type { Transport } from './transport/types.js';
import { programmatic } from './lib/programmatic.js';

/** Whether the visitor agreed to be tracked. */
export type ConsentState = 'pending' | 'granted' | 'denied';

/** Options of {@link createTracker}. Only `endpoint` (or `transports`) is required. */
export interface TrackerOptions {
  /**
   * Your collector's URL: events are POSTed there as `text/plain` JSON. Shorthand for
   * `transports: [createHttpTransport(endpoint)]`.
   * @example 'https://collect.example.com/i'
   */
  endpoint?: string | undefined;
  /** Where events go, one queue each. Used together with `endpoint` when both are given. */
  transports?: Transport[] | undefined;
  /** The site id sent with every batch. @default location.hostname */
  site?: string | undefined;
  /**
   * `granted` tracks, stores and sends; `pending` keeps events in memory only (nothing stored, nothing
   * sent) until `consent('granted')`; `denied` tracks nothing. @default 'granted'
   */
  consent?: ConsentState | undefined;
  /** Treat the browser's Global Privacy Control signal as `denied` (an explicit `consent('granted')` overrides it). @default true */
  respectGpc?: boolean | undefined;
  /** Treat Do Not Track as `denied`. @default false */
  respectDnt?: boolean | undefined;
  /** Keep no visitor id across page loads: each page load is a new anonymous visitor. @default false */
  anonymous?: boolean | undefined;
  /**
   * Page kinds by path pattern (`*` matches anything), checked before the defaults.
   * @example { pricing: ['/plans/*'], webinar: '/events/*' }
   */
  kinds?: KindRules | undefined;
  /**
   * Topics by path pattern, for pages whose markup names none (no `data-inkling-topic`, `article:tag` or JSON-LD):
   * a page gets every topic whose pattern matches its path. The script tag's `data-topic-<name>` attributes.
   * @example { reconciliation: ['/guides/close/*', '/blog/month-end-*'], payroll: '/guides/payroll/*' }
   */
  topics?: KindRules | undefined;
  /** CSS selector of the article whose reading is measured. @default 'article' */
  articles?: string | undefined;
  /** The element that scrolls, for sites that scroll inside a container: a CSS selector or the element. @default the document */
  scrollRoot?: string | Element | undefined;
  /** Send a `page_view` on start and on every SPA navigation. @default true */
  autoPageViews?: boolean | undefined;
  /** A visit ends after this long without activity. @default 1_800_000 (30 minutes) */
  visitTimeoutMs?: number | undefined;
  /** Query parameters to remove from URLs, besides the defaults (tokens, keys, passwords, e-mail...). */
  scrubParams?: string[] | undefined;
  /** Queue bounds and batching, per transport. */
  queue?: Partial<QueueLimits> | undefined;
  /** The intent model: a file written by `inkling calibrate`, parsed. Use the same one on the receiver. @default DEFAULT_MODEL */
  model?: Model | undefined;
  /** Called with every error after start-up (storage failing, a collector rejecting events); nothing is thrown into the page. */
  onError?: ((error: Error) => void) | undefined;
  /** Log events, sends, drops and errors to the console. @default false */
  debug?: boolean | undefined;
}

/** Queue and batching defaults; the README's Delivery section gives the reasons. */
export const DEFAULT_LIMITS: QueueLimits = {
  maxEvents: 1000,
  maxBytes: 2 << 20,
  maxAgeMs: 7 * DAY_MS,
  maxAttempts: 10,
  batchEvents: 25,
  batchBytes: 32 << 10,
  batchDelayMs: 5000,
};

/** Throws the TypeError of error `code` (errors/messages.ts) naming option `name` and its bad `value`. */
export function check(ok: unknown, code: OptionErrorCode, name: string, value: unknown, detail?: unknown): asserts ok {
  if (!ok) throw new TypeError(getOptionMessage(code, name, value, detail));
}

const checkSelector = (selector: string, name: string, example: string) => {
  let valid: unknown;
  try {
    valid = document.querySelector(selector) || 1;
  } catch {}
  check(valid, 'E6', name, selector, example);
};

/**
 * Fills in defaults, checking what a script tag can set (its data- attributes). Throws a TypeError
 * naming the option, the bad value and the fix. `checkOptions` checks the rest for npm users.
 */
export function resolveOptions(o: TrackerOptions) {
  const transports = [...(programmatic ? (o.transports ?? []) : o.transports!)];
  // A script tag always has an endpoint (readScriptOptions throws without one), so its transports are never empty.
  if (!programmatic || o.endpoint != null) {
    let url: URL | undefined;
    try {
      url = new URL(o.endpoint!, location.href);
    } catch {}
    check(url && /^https?:$/.test(url.protocol), 'E1', 'endpoint', o.endpoint);
    transports.unshift(createHttpTransport(url.href));
  }
  if (programmatic) check(transports.length, 'E2', 'endpoint', o.endpoint);
  const site = o.site ?? location.hostname;
  check(/^[\w.:-]{1,128}$/.test(site), 'E3', 'site', site);
  check(!o.consent || /^(pending|granted|denied)$/.test(o.consent), 'E4', 'consent', o.consent);
  // A script tag's patterns were checked as its attributes were read (E19, which names the attribute).
  for (const [kind, patterns] of Object.entries(o.kinds ?? {})) {
    check(programmatic ? isKind(kind) && listPatterns(patterns).every((p) => p?.[0] === '/') : isKind(kind), 'E5', 'kinds', kind);
  }
  const articles = o.articles ?? 'article';
  checkSelector(articles, 'articles', 'article.post');
  if (typeof o.scrollRoot == 'string') checkSelector(o.scrollRoot, 'scrollRoot', '#reader');
  return {
    ...o,
    transports,
    site,
    articles,
    limits: programmatic ? { ...DEFAULT_LIMITS, ...o.queue } : DEFAULT_LIMITS,
  };
}

export type ResolvedOptions = ReturnType<typeof resolveOptions>;

/** Checks the options only a program can set (the script tag cannot), with the same kind of message. */
export function checkOptions(o: TrackerOptions): void {
  check(o && typeof o === 'object', 'E7', 'options', o);
  check(!o.transports || Array.isArray(o.transports), 'E8', 'transports', o.transports);
  const names = new Set();
  for (const t of o.transports ?? []) {
    check(typeof t?.send === 'function' && /^[\w-]{1,32}$/.test(t.name) && !names.has(t.name), 'E9', 'transports', t?.name);
    names.add(t.name);
  }
  for (const name of ['respectGpc', 'respectDnt', 'anonymous', 'autoPageViews', 'debug'] as const) {
    check(o[name] == null || typeof o[name] === 'boolean', 'E10', name, o[name]);
  }
  // The script tag checks its data-topic-* attributes itself, naming each.
  check(o.topics == null || typeof o.topics === 'object', 'E11', 'topics', o.topics);
  for (const [topic, patterns] of Object.entries(o.topics ?? {})) {
    check(topic.trim() && topic.length <= LIMITS.MAX_TOPIC_CHARS && [patterns].flat().every((p) => p?.[0] === '/'), 'E12', 'topics', topic);
  }
  check(o.scrollRoot == null || typeof o.scrollRoot === 'string' || o.scrollRoot instanceof Element, 'E13', 'scrollRoot', o.scrollRoot);
  check(o.visitTimeoutMs == null || o.visitTimeoutMs >= 60_000, 'E14', 'visitTimeoutMs', o.visitTimeoutMs);
  check(
    (o.scrubParams ?? []).every?.((p) => typeof p === 'string'),
    'E15',
    'scrubParams',
    o.scrubParams,
  );
  for (const [name, value] of Object.entries({ ...DEFAULT_LIMITS, ...o.queue })) {
    // A batch must fit the collector's limits, and an unloading page's keepalive budget.
    const max = name === 'batchEvents' ? LIMITS.MAX_BATCH_EVENTS : name === 'batchBytes' ? MAX_UNLOAD_BYTES : 2 ** 40;
    check(Number.isInteger(value) && value > 0 && value <= max, 'E16', `queue.${name}`, value, max);
  }
  check(!o.onError || typeof o.onError === 'function', 'E17', 'onError', o.onError);
  if (o.model) {
    try {
      parseModel(o.model);
    } catch (error) {
      check(0, 'E18', 'model', '', (error as Error).message);
    }
  }
}
