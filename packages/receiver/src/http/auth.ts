import { RequestError } from '../errors.js';
import { timingSafeEqual } from '../webhooks/verify.js';

const encoder = new TextEncoder();

/**
 * Checks the API key of a protected route: `Authorization: Bearer <key>`, or `?key=<key>` where `allowQuery` (the
 * HTML pages, which a person opens from a link). Throws 401 `unauthorized`; without a configured key every
 * request is refused, since lead data is personal data.
 */
export function checkApiKey(request: Request, url: URL, apiKey: string | undefined, allowQuery: boolean): void {
  const challenge = { 'www-authenticate': 'Bearer realm="inkling"' };
  if (apiKey === undefined) {
    throw new RequestError(
      'unauthorized',
      401,
      'api key: this receiver has no apiKey configured, so lead data is not served; set apiKey (INKLING_API_KEY)',
      { headers: challenge },
    );
  }
  const header = request.headers.get('authorization');
  const given = header?.startsWith('Bearer ') ? header.slice(7).trim() : allowQuery ? url.searchParams.get('key') : null;
  if (given === null || !timingSafeEqual(encoder.encode(given), encoder.encode(apiKey))) {
    const where = allowQuery ? 'Authorization: Bearer <key> or ?key=<key>' : 'Authorization: Bearer <key>';
    throw new RequestError('unauthorized', 401, `api key: expected the receiver's key in ${where}`, { headers: challenge });
  }
}
