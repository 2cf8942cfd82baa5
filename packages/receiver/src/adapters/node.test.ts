import { request } from 'node:http';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { closeServer, createClock, createTestReceiver, serve } from '../../test/helpers.js';
import type { Receiver } from '../index.js';
import { createNodeHandler, listen } from './node.js';

let receiver: Receiver;
afterEach(async () => {
  await receiver.close();
});

/** Streams `chunks` as a chunked upload (no Content-Length), as a client that does not announce its size. */
function upload(url: string, chunks: string[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/collect`,
      { method: 'POST', headers: { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' } },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    // The server may answer and close before the client has written everything.
    req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' || e.code === 'ECONNRESET' ? undefined : reject(e)));
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

describe('node:http adapter', () => {
  it('oversized chunked body: stops reading past the cap and answers 413', async () => {
    receiver = createTestReceiver({}, createClock());
    const { server, url } = await serve(createNodeHandler(receiver));
    const answer = await upload(
      url,
      Array.from({ length: 20 }, () => 'x'.repeat(8 * 1024)),
    );
    await closeServer(server);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'body_too_large' } });
    expect(await receiver.store.countEvents()).toBe(0);
  });

  it('listen() serves health on 127.0.0.1 and close() stops it', async () => {
    receiver = createTestReceiver({}, createClock());
    const running = await listen(receiver, { port: 0 });
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${running.url}/health`);
    expect(await health.json()).toEqual({ status: 'ok' });
    await running.close();
    await expect(fetch(`${running.url}/health`)).rejects.toThrow();
  });

  it('health answers 503 store_unavailable when the database cannot be opened', async () => {
    const errors: unknown[] = [];
    const broken = createTestReceiver({ database: '/no/such/dir/inkling.db', onError: (e) => void errors.push(e) });
    const health = await broken.fetch(new Request('http://receiver.test/health'));
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ error: { code: 'store_unavailable' } });
    await broken.close().catch(() => undefined);
  });
});

describe('fetch core body cap', () => {
  it('oversized streamed body without Content-Length: answers 413', async () => {
    receiver = createTestReceiver({}, createClock());
    let pulls = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls++;
        controller.enqueue(new Uint8Array(16 * 1024).fill(120));
        if (pulls > 100) controller.close();
      },
    });
    const response = await receiver.fetch(
      new Request('http://receiver.test/collect', {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body,
        duplex: 'half',
      } as RequestInit),
    );
    expect(response.status).toBe(413);
    // It stopped soon after 64 KiB rather than reading all 1.6 MB.
    expect(pulls).toBeLessThan(10);
  });
});

/** A raw connection to `url` that writes `text` and then stalls, recording what the server answers and when it closes. */
function stall(url: string, text: string): Promise<{ socket: Socket; closed: Promise<{ afterMs: number; answer: string }> }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      const start = Date.now();
      let answer = '';
      socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
      const closed = new Promise<{ afterMs: number; answer: string }>((done) =>
        socket.once('close', () => done({ afterMs: Date.now() - start, answer })),
      );
      socket.write(text);
      resolve({ socket, closed });
    });
    socket.once('error', reject);
  });
}

describe('node:http adapter under slow clients', () => {
  const FAST = { port: 0, headersTimeoutMs: 300, requestTimeoutMs: 600, keepAliveTimeoutMs: 200 };

  it("sets 10 s / 30 s / 5 s header, request and keep-alive timeouts by default, not Node's minutes", async () => {
    receiver = createTestReceiver({}, createClock());
    const running = await listen(receiver, { port: 0 });
    expect([running.server.headersTimeout, running.server.requestTimeout, running.server.keepAliveTimeout]).toEqual([10_000, 30_000, 5000]);
    await running.close();
  });

  it('stalled headers: answers 408 and closes the connection after headersTimeoutMs', async () => {
    receiver = createTestReceiver({}, createClock());
    const running = await listen(receiver, FAST);
    const { closed } = await stall(running.url, 'POST /collect HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n');
    const { afterMs, answer } = await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(afterMs).toBeGreaterThanOrEqual(250);
    expect(afterMs).toBeLessThan(3000);
    await running.close();
  });

  it('stalled body: answers 408 and closes the connection after requestTimeoutMs, storing nothing', async () => {
    receiver = createTestReceiver({}, createClock());
    const running = await listen(receiver, FAST);
    const { closed } = await stall(
      running.url,
      'POST /collect HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n{"v":1,',
    );
    const { afterMs, answer } = await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(afterMs).toBeGreaterThanOrEqual(550);
    expect(afterMs).toBeLessThan(3000);
    expect(await receiver.store.countEvents()).toBe(0);
    await running.close();
  });

  it('idle keep-alive connection: closed after keepAliveTimeoutMs', async () => {
    receiver = createTestReceiver({}, createClock());
    const running = await listen(receiver, FAST);
    const { closed } = await stall(running.url, 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n');
    const { afterMs, answer } = await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer).toContain('{"status":"ok"}');
    expect(afterMs).toBeLessThan(2000);
    await running.close();
  });

  it('too many connections from one address: closes the extra one at once and still serves the others', async () => {
    receiver = createTestReceiver({}, createClock());
    const running = await listen(receiver, { ...FAST, headersTimeoutMs: 5000, requestTimeoutMs: 5000, maxConnectionsPerAddress: 2 });
    const held = [await stall(running.url, 'GET /health HTTP/1.1\r\n'), await stall(running.url, 'GET /health HTTP/1.1\r\n')];
    const extra = await stall(running.url, 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    const refused = await extra.closed;
    expect(refused.answer).toBe('');
    expect(refused.afterMs).toBeLessThan(1000);
    // The held connections still finish their requests; once one closes, a new connection is served.
    held[0]!.socket.write('Host: 127.0.0.1\r\nConnection: close\r\n\r\n');
    expect((await held[0]!.closed).answer).toMatch(/^HTTP\/1\.1 200 /);
    await new Promise((r) => setTimeout(r, 50));
    const next = await stall(running.url, 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    expect((await next.closed).answer).toMatch(/^HTTP\/1\.1 200 /);
    held[1]!.socket.destroy();
    await running.close();
  });

  it.each([
    [{ headersTimeoutMs: 0 }, 'headersTimeoutMs: expected a whole number of at least 1, got 0'],
    [{ maxConnectionsPerAddress: 1.5 }, 'maxConnectionsPerAddress: expected a whole number of at least 0, got 1.5'],
    [{ headersTimeoutMs: 40_000 }, 'headersTimeoutMs: 40000 is longer than requestTimeoutMs (30000)'],
  ])('bad option %j: refuses it naming the option', async (options, message) => {
    receiver = createTestReceiver({}, createClock());
    await expect(listen(receiver, { port: 0, ...options })).rejects.toThrow(message);
  });
});
