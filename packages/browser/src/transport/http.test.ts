import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeBatch, makeEvent } from '@inkling/core/test';
import { createHttpTransport } from './http.js';

afterEach(() => vi.unstubAllGlobals());

/** Stubs fetch with one answer and returns what the transport made of it. */
async function sendAnswered(body: BodyInit | null, init: ResponseInit) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => new Response(body, init)),
  );
  return createHttpTransport('https://collect.example.com/collect').send(makeBatch([makeEvent('page_view'), makeEvent('page_view')]), {
    unload: false,
  });
}

describe('HTTP transport', () => {
  it('reports the events a 202 lists as rejected, by index', async () => {
    const result = await sendAnswered(
      JSON.stringify({ accepted: 1, duplicates: 0, rejected: [{ index: 1, code: 'invalid_event', message: 'events[1].id: ...' }] }),
      { status: 202 },
    );
    expect(result).toEqual({ status: 202, retryAfter: null, rejected: [1] });
  });

  it('reports nothing rejected when a 2xx has no list, or no JSON body at all', async () => {
    expect((await sendAnswered(JSON.stringify({ accepted: 2, duplicates: 0 }), { status: 202 })).rejected).toBeUndefined();
    expect(await sendAnswered('ok', { status: 200 })).toEqual({ status: 200, retryAfter: null, rejected: undefined });
    expect(await sendAnswered(null, { status: 204 })).toEqual({ status: 204, retryAfter: null, rejected: undefined });
  });

  it('passes the status and Retry-After of a refusal on without reading its body', async () => {
    expect(await sendAnswered('{"error":{}}', { status: 429, headers: { 'retry-after': '7' } })).toEqual({
      status: 429,
      retryAfter: '7',
      rejected: undefined,
    });
  });
});
