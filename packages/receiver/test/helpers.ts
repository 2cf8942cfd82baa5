// Shared fixtures for the receiver's tests: a test clock, receivers driven through the fetch core or a real
// node:http server, and the events of realistic visitor journeys.
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AnyEvent, Batch, EventType, InklingEvent } from '@inkling/core';
import { uuidv7 } from '@inkling/core';
import { expect, vi } from 'vitest';
import { makeBatch, makeEvent } from '@inkling/core/test';
import { createNodeHandler, createReceiver } from '../src/index.js';
import type { Receiver, ReceiverOptions } from '../src/index.js';

export { makeBatch, makeEvent };

export const API_KEY = 'test-key-0123456789abcdef';
export const SITE = 'example.com';
export const CHROME_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
export const DAY_MS = 24 * 3600 * 1000;

/**
 * Sets the process's clock to 12:00 UTC of today, still running, and returns that time. The intent model counts ages
 * in whole UTC days, so a test whose events are hours old gets the same ages whatever the hour it runs (a read three
 * hours before a run at 00:40 is a day old). Everything that reads `Date`, the `standardwebhooks` verifier
 * included, sees the same time. Undo with `vi.useRealTimers()`.
 */
export function runAtMiddayUtc(): number {
  const midday = Math.floor(Date.now() / DAY_MS) * DAY_MS + DAY_MS / 2;
  vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
  vi.setSystemTime(midday);
  return midday;
}

/** A clock tests move by hand. */
export interface TestClock {
  now: () => number;
  advance(ms: number): void;
}

export function createClock(start = Date.now()): TestClock {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

/** A receiver with background timers off (tests drive `flush()`), an API key and an in-memory store. */
export function createTestReceiver(options: ReceiverOptions = {}, clock: TestClock = createClock()): Receiver {
  return createReceiver({
    background: false,
    apiKey: API_KEY,
    now: clock.now,
    random: () => 0,
    onError: (e) => {
      throw e;
    },
    ...options,
  });
}

/** An event of `type` for `visitor`, `agoMs` before `now`. */
export function eventAt<T extends EventType>(
  type: T,
  visitor: string,
  now: number,
  agoMs: number,
  overrides: Partial<InklingEvent<T>> = {},
): AnyEvent {
  return makeEvent(type, {
    id: uuidv7(now - agoMs),
    ts: new Date(now - agoMs).toISOString(),
    visitor,
    session: `s_${visitor}_session`,
    ...overrides,
  }) as AnyEvent;
}

/** Posts `events` as one batch sent at `now` through the fetch core, expects 202, then runs scoring and delivery once. */
export async function collect(receiver: Receiver, events: AnyEvent[], now: number): Promise<void> {
  const response = await receiver.fetch(new Request('http://receiver.test/collect', { method: 'POST', ...post(batchOf(events, now)) }));
  expect(response.status).toBe(202);
  await receiver.flush();
}

/** A batch sent at `now` by the device's clock. */
export function batchOf(events: AnyEvent[], now: number, site = SITE): Batch {
  return { ...makeBatch(events), site, sentAt: new Date(now).toISOString() };
}

const page = (path: string, kind: string, title: string) => ({ path, kind, title });

/**
 * The journey of a researching buyer: a first visit reading three articles, then a return two days later that
 * views pricing twice. Core's default model scores it warm. `topics[n]` are the topics of article `n + 1`.
 */
export function warmJourney(visitor: string, now: number, topics: readonly (readonly string[])[] = []): AnyEvent[] {
  const first = 2 * DAY_MS + 3600_000;
  const second = 3600_000;
  const article = (n: number) => page(`/blog/article-${n}`, 'article', `Article ${n}`);
  const events: AnyEvent[] = [
    eventAt('visit_start', visitor, now, first, {
      props: {
        visit: 1,
        daysSinceLast: null,
        firstTouch: { source: 'google.com', medium: 'referral' },
        lastTouch: { source: 'google.com', medium: 'referral' },
        idSource: 'new',
      },
    }),
  ];
  for (let n = 1; n <= 3; n++) {
    const offset = first - n * 600_000;
    const onTopics = topics[n - 1] ? { topics: [...topics[n - 1]!] } : {};
    const view = eventAt('page_view', visitor, now, offset, { page: article(n), props: { nav: 'load', ...onTopics } });
    events.push(view);
    events.push(
      eventAt('article_read', visitor, now, offset - 240_000, {
        page: article(n),
        props: {
          pageViewId: view.id,
          words: 1400,
          expectedMs: 353_000,
          attentiveMs: 230_000,
          readRatio: 0.65,
          scrollDepth: 1,
          ...onTopics,
        },
      }),
    );
  }
  events.push(
    eventAt('visit_start', visitor, now, second, {
      props: {
        visit: 2,
        daysSinceLast: 2,
        firstTouch: { source: 'google.com', medium: 'referral' },
        lastTouch: { source: '(direct)', medium: '(none)' },
        idSource: 'stored',
      },
    }),
    eventAt('page_view', visitor, now, second - 60_000, { page: page('/pricing', 'pricing', 'Pricing') }),
    eventAt('page_view', visitor, now, second - 900_000, { page: page('/pricing', 'pricing', 'Pricing') }),
  );
  return events;
}

/** A one-page bounce: cold. */
export function bounce(visitor: string, now: number): AnyEvent[] {
  return [eventAt('page_view', visitor, now, 60_000, { page: page('/', 'other', 'Home') })];
}

/** A demo request: hot on its own. */
export function demoRequest(visitor: string, now: number, agoMs = 30_000): AnyEvent {
  return eventAt('track', visitor, now, agoMs, { page: page('/contact', 'contact', 'Contact'), props: { name: 'demo_request' } });
}

/** What a test sends: a path and fetch options. */
export interface Send {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

/** Sends requests to a receiver through one of its front doors. */
export interface Driver {
  send(request: Send): Promise<Response>;
  close(): Promise<void>;
}

/** How to reach a receiver: its fetch core directly, or a real node:http server on 127.0.0.1. */
export const DRIVERS: { name: string; start(receiver: Receiver): Promise<Driver> }[] = [
  {
    name: 'fetch core',
    async start(receiver) {
      return {
        send: ({ method = 'POST', path = '/collect', headers = {}, body }) =>
          receiver.fetch(
            new Request(`http://receiver.test${path}`, { method, headers, ...(body === undefined ? {} : { body: body as BodyInit }) }),
            { clientIp: '203.0.113.7' },
          ),
        close: async () => undefined,
      };
    },
  },
  {
    name: 'node:http adapter',
    async start(receiver) {
      const { server, url } = await serve(createNodeHandler(receiver));
      return {
        send: ({ method = 'POST', path = '/collect', headers = {}, body }) =>
          fetch(`${url}${path}`, { method, headers, ...(body === undefined ? {} : { body: body as BodyInit }) }),
        close: () => closeServer(server),
      };
    },
  },
];

/** A JSON batch post with a browser's headers. */
export function post(batch: unknown, headers: Record<string, string> = {}): { body: string; headers: Record<string, string> } {
  return { body: JSON.stringify(batch), headers: { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': CHROME_UA, ...headers } };
}

/** Starts a node:http server on 127.0.0.1 with a free port. */
export function serve(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
  });
}

export function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A webhook consumer on 127.0.0.1 that records every request and answers with the next of `answers`. */
export interface Consumer {
  url: string;
  /** Each request: its path (`/hooks`, or what a test appended to `url`), headers and body. */
  received: { path: string; headers: Record<string, string>; body: string }[];
  close(): Promise<void>;
}

export type Answer = { status: number; headers?: Record<string, string> } | 'hang';

export async function startConsumer(answers: Answer[] = [], fallback: Answer = { status: 200 }): Promise<Consumer> {
  const received: Consumer['received'] = [];
  const { server, url } = await serve((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        path: req.url ?? '/',
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const answer = answers.shift() ?? fallback;
      if (answer === 'hang') return;
      res.writeHead(answer.status, answer.headers ?? {}).end('ok');
    });
  });
  return { url: `${url}/hooks`, received, close: () => closeServer(server) };
}

/**
 * One person of `account` (a group id) researching: reads an article on reconciliation and views pricing, in the
 * hour before `now`; `traits` go on the group event.
 */
export function accountResearch(visitor: string, now: number, account: string, traits?: Record<string, string>): AnyEvent[] {
  const topics = ['reconciliation'];
  const article = { path: '/blog/close-faster', kind: 'article' };
  const view = eventAt('page_view', visitor, now, 3_600_000, { account, page: article, props: { nav: 'load', topics } });
  return [
    eventAt('group', visitor, now, 3_700_000, { account, props: traits ? { accountId: account, traits } : { accountId: account } }),
    view,
    eventAt('article_read', visitor, now, 3_300_000, {
      account,
      page: article,
      props: { pageViewId: view.id, words: 1400, expectedMs: 353_000, attentiveMs: 230_000, readRatio: 0.65, scrollDepth: 1, topics },
    }),
    eventAt('page_view', visitor, now, 3_000_000, { account, page: { path: '/pricing', kind: 'pricing' } }),
  ];
}
