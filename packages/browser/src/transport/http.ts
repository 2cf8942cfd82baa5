import type { Transport } from './types.js';

/** A request that has not answered after this long counts as a network error. */
export const REQUEST_TIMEOUT_MS = 30_000;

/**
 * Sends batches to an HTTP collector as `text/plain` JSON: a "simple" CORS request, so no preflight,
 * which an unloading page could not wait for. On unload it uses `fetch` with `keepalive` (every browser
 * Inkling supports has it); a batch whose request the browser cancels is sent again by the next page.
 *
 * The collector must answer with `Access-Control-Allow-Origin` for the site's origin (and expose
 * `Retry-After`), or the browser hides the answer and the batch counts as a network error.
 *
 * @example
 * createTracker({ transports: [createHttpTransport('https://collect.example.com/i')] });
 */
export function createHttpTransport(endpoint: string, name = 'http'): Transport {
  return {
    name,
    async send(batch, { unload }) {
      const response = await fetch(endpoint, {
        method: 'POST',
        body: JSON.stringify(batch),
        keepalive: unload,
        credentials: 'omit',
        signal: unload ? null : AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      // A collector that stored a batch but refused some events lists them: { rejected: [{ index }] } (wire format).
      const rejected = response.ok
        ? await response
            .json()
            .then((body: { rejected: { index: number }[] }) => body.rejected.map((r) => r.index))
            .catch(() => undefined)
        : undefined;
      return { status: response.status, retryAfter: response.headers.get('Retry-After'), rejected };
    },
  };
}
