import { request } from 'node:http';
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
    const req = request(`${url}/collect`, { method: 'POST', headers: { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
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
    const answer = await upload(url, Array.from({ length: 20 }, () => 'x'.repeat(8 * 1024)));
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
    const response = await receiver.fetch(new Request('http://receiver.test/collect', { method: 'POST', headers: { 'content-type': 'text/plain' }, body, duplex: 'half' } as RequestInit));
    expect(response.status).toBe(413);
    // It stopped soon after 64 KiB rather than reading all 1.6 MB.
    expect(pulls).toBeLessThan(10);
  });
});
