// A recording collector and a page server for the real-browser tests, on 127.0.0.1, on different ports
// (so every request from a page to the collector is cross-origin, as on a real site).
import { readFileSync } from 'node:fs';
import { normalize } from 'node:path';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AnyEvent, Batch } from '@inkling/core';

export interface Recorded {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  batch?: Batch;
  /** The status answered. */
  status: number;
}

/** What to answer the next POST: a status (with headers and a body), or 'hang' to never answer, or 'abort' to reset the connection. */
export type Answer = number | [number, Record<string, string>] | [number, Record<string, string>, string] | 'hang' | 'abort';

export interface Collector {
  url: string;
  /** Every request, OPTIONS included. */
  requests: Recorded[];
  /** Answers for the next POSTs, in order; then 202. */
  script: Answer[];
  /** Events of the batches answered 2xx, in arrival order (duplicates included). */
  events(): AnyEvent[];
  /** Resolves when `count` events have been accepted. */
  waitForEvents(count: number, timeoutMs?: number): Promise<AnyEvent[]>;
  /** Resolves once no new request has arrived for `quietMs` (a late duplicate, or a keepalive request that outlived its page, would show up here). */
  settle(quietMs?: number): Promise<void>;
  /** Settles, then forgets every request: a clean start for the next test. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

const listen = (server: Server) =>
  new Promise<string>((done) => server.listen(0, '127.0.0.1', () => done(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));

const close = (server: Server) =>
  new Promise<void>((done) => {
    server.closeAllConnections();
    server.close(() => done());
  });

export async function startCollector(): Promise<Collector> {
  const requests: Recorded[] = [];
  const script: Answer[] = [];
  const hung: ServerResponse[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const cors = {
        'access-control-allow-origin': req.headers.origin ?? '*',
        'access-control-expose-headers': 'Retry-After',
        vary: 'Origin',
      };
      const recorded: Recorded = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, status: 204 };
      requests.push(recorded);
      if (req.method !== 'POST')
        return res.writeHead(204, { ...cors, 'access-control-allow-methods': 'POST', 'access-control-max-age': '7200' }).end();
      const answer = script.shift() ?? 202;
      if (answer === 'hang') return void hung.push(res);
      if (answer === 'abort') return req.socket.destroy();
      const [status, headers, body] = Array.isArray(answer) ? answer : [answer, {}];
      recorded.status = status;
      recorded.batch = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Batch;
      res.writeHead(status, { ...cors, ...headers }).end(body);
    });
  });
  const url = await listen(server);
  const events = () => requests.filter((r) => r.batch && r.status >= 200 && r.status < 300).flatMap((r) => r.batch!.events);
  const settle = async (quietMs = 300) => {
    for (let seen = -1; seen !== requests.length;) {
      seen = requests.length;
      await new Promise((r) => setTimeout(r, quietMs));
    }
  };
  return {
    url,
    requests,
    script,
    events,
    async waitForEvents(count, timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      while (events().length < count) {
        if (Date.now() > until) throw new Error(`expected ${count} events at the collector, got ${events().length}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return events();
    },
    settle,
    async reset() {
      await settle();
      requests.length = 0;
    },
    close() {
      hung.forEach((res) => res.destroy());
      return close(server);
    },
  };
}

export interface Site {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves test pages (path -> HTML), the built scripts at /inkling.min.js and /inkling.vitals.min.js, and the
 * JavaScript files under `roots` (URL prefix -> folder).
 */
export async function startSite(pages: Record<string, string>, roots: Record<string, string> = {}): Promise<Site> {
  const server = createServer((req, res) => {
    const path = normalize(new URL(req.url ?? '/', 'http://x').pathname);
    const script = /^\/(inkling(\.vitals)?\.min\.js)$/.exec(path)?.[1];
    const prefix = Object.keys(roots).find((p) => path.startsWith(p) && path.endsWith('.js'));
    const file = script ? `packages/browser/dist/${script}` : prefix && roots[prefix] + path.slice(prefix.length);
    if (file) {
      try {
        return res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(file));
      } catch {
        return res.writeHead(404).end();
      }
    }
    const html = pages[path];
    if (html === undefined) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html);
  });
  return { url: await listen(server), close: () => close(server) };
}

/** A page with Inkling's script tag; `attrs` are extra data- attributes (`{ consent: 'pending' }`). */
export function page(
  endpoint: string,
  body: string,
  { attrs = {}, head = '', title = 'Test page' }: { attrs?: Record<string, string>; head?: string; title?: string } = {},
): string {
  const data = Object.entries({ endpoint, site: 'e2e', ...attrs })
    .map(([k, v]) => ` data-${k}="${v}"`)
    .join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>${head}<script src="/inkling.min.js"${data}></script></head><body>${body}</body></html>`;
}

/** Paragraphs of prose, `words` words in all. */
export function prose(words: number): string {
  const sentence = 'Finance teams close the books faster when reconciliations run every day instead of once a month';
  const w = sentence.split(' ');
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(w[i % w.length]!);
  const paragraphs: string[] = [];
  for (let i = 0; i < out.length; i += 80) paragraphs.push(`<p>${out.slice(i, i + 80).join(' ')}.</p>`);
  return paragraphs.join('\n');
}
