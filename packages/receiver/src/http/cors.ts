/**
 * CORS for the collector. Browsers send batches as `text/plain` (a "simple" request, no preflight), so the
 * allowlist is enforced on the request itself too: a batch from an origin not on the list is refused, not just
 * hidden from the page. No credentials are ever allowed: Inkling uses no cookies.
 */

/** How long a browser may cache a preflight answer: 2 hours, the most Chromium honours (Firefox allows 24 h). */
export const PREFLIGHT_MAX_AGE_S = 7200;

export interface Cors {
  /** True when a request with this `Origin` may post; requests without one are not from a cross-origin page. */
  isAllowed(origin: string | null): boolean;
  /** Headers for an answer to an allowed origin (always including `Vary: Origin`, so caches keep answers apart). */
  getHeaders(origin: string | null): Record<string, string>;
  /** Headers for the answer to an allowed preflight. */
  getPreflightHeaders(origin: string): Record<string, string>;
}

/** Normalises an origin as browsers send it: scheme, host and non-default port, lower case, no trailing slash. */
export function normalizeOrigin(origin: string): string {
  const url = new URL(origin);
  return url.origin;
}

/** @param allowed - exact origins (`https://www.example.com`), or `'*'` for any. */
export function createCors(allowed: readonly string[] | '*'): Cors {
  const any = allowed === '*';
  const origins = new Set(any ? [] : allowed.map(normalizeOrigin));
  const isAllowed = (origin: string | null) => origin === null || any || origins.has(origin);
  return {
    isAllowed,
    getHeaders(origin) {
      if (origin === null || !isAllowed(origin)) return { vary: 'Origin' };
      // Retry-After is not a CORS-safelisted response header: without this, a page cannot read it on a 429 or 503.
      return { 'access-control-allow-origin': any ? '*' : origin, 'access-control-expose-headers': 'Retry-After', vary: 'Origin' };
    },
    getPreflightHeaders(origin) {
      return {
        'access-control-allow-origin': any ? '*' : origin,
        'access-control-allow-methods': 'POST, OPTIONS',
        'access-control-allow-headers': 'Content-Type',
        'access-control-max-age': String(PREFLIGHT_MAX_AGE_S),
        vary: 'Origin',
      };
    },
  };
}
