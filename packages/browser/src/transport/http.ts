import type { Transport } from './types.js';

/** A request that has not answered after this long counts as a network error. */
export const REQUEST_TIMEOUT_MS = 30_000;

/**
 * Sends batches to an HTTP collector as `text/plain` JSON: a "simple" CORS request, so no preflight,
 * which an unloading page could not wait for. On unload it uses `fetch` with `keepalive`; `sendBeacon`
 * only where keepalive is missing (Firefox before 133), and then a batch the beacon accepted is treated
 * as delivered, since a beacon cannot report the server's answer.
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
      const body = JSON.stringify(batch);
      if (unload && !('keepalive' in Request.prototype) && navigator.sendBeacon) {
        return { status: navigator.sendBeacon(endpoint, body) ? 202 : 0 };
      }
      const response = await fetch(endpoint, {
        method: 'POST',
        body,
        keepalive: unload,
        credentials: 'omit',
        signal: unload ? null : AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      return { status: response.status, retryAfter: response.headers.get('Retry-After') };
    },
  };
}
