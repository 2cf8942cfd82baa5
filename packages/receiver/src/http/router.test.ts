import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { API_KEY, batchOf, bounce, createClock, createTestReceiver } from '../../test/helpers.js';
import { listen } from '../adapters/node.js';
import type { Listening } from '../adapters/node.js';
import type { Receiver } from '../index.js';
import { getRequestUrl } from './request-url.js';

let receiver: Receiver;
let running: Listening | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
  await receiver.close();
});

/** Sends a raw request with a chosen `Host` header and request target, as a hostile client can. */
function send(
  url: string,
  options: { method: string; path: string; host: string; body?: string; headers?: Record<string, string> },
): Promise<{ status: number; body: string }> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: options.method, path: options.path, headers: { host: options.host, ...options.headers } },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('routing', () => {
  it('a request with a hostile Host header routes by its path: a batch to /collect is stored, not sent to /leads', async () => {
    const clock = createClock();
    receiver = createTestReceiver({}, clock);
    running = await listen(receiver, { port: 0 });
    const events = bounce('v_hostile_host_01', clock.now());
    const body = JSON.stringify(batchOf(events, clock.now()));
    const answer = await send(running.url, {
      method: 'POST',
      path: '/collect',
      host: 'evil.example/leads?x=',
      body,
      headers: { 'content-type': 'text/plain' },
    });
    expect(answer.status).toBe(202);
    expect(await receiver.store.countEvents()).toBe(events.length);
  });

  it('a Host header naming a protected route does not reach it: /health stays public and answers ok', async () => {
    receiver = createTestReceiver({}, createClock());
    running = await listen(receiver, { port: 0 });
    const answer = await send(running.url, { method: 'GET', path: '/health', host: 'evil.example/dashboard#' });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ status: 'ok' });
  });

  it('an absolute-form request target routes by its own path, whatever host it names', async () => {
    receiver = createTestReceiver({}, createClock());
    running = await listen(receiver, { port: 0 });
    const answer = await send(running.url, { method: 'GET', path: 'http://evil.example/leads', host: 'evil.example' });
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('answers 405 with Allow for a method the route does not take, before checking the key', async () => {
    receiver = createTestReceiver({}, createClock());
    const response = await receiver.fetch(
      new Request('http://receiver.test/leads', { method: 'DELETE', headers: { authorization: `Bearer ${API_KEY}` } }),
    );
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
    expect(await response.json()).toMatchObject({ error: { code: 'method_not_allowed', message: 'method: expected GET, got DELETE' } });
  });
});

describe('getRequestUrl', () => {
  it('keeps the path and query of the request line and never takes a host from it', () => {
    expect(new URL(getRequestUrl('/leads?level=hot')).pathname).toBe('/leads');
    expect(new URL(getRequestUrl('//evil.example/leads')).pathname).toBe('//evil.example/leads');
    expect(new URL(getRequestUrl('http://evil.example/collect?a=1')).search).toBe('?a=1');
    expect(new URL(getRequestUrl('*')).pathname).toBe('/');
    expect(new URL(getRequestUrl(undefined)).pathname).toBe('/');
  });
});
