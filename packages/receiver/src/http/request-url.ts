/** The origin a Node request's URL is built on; only the path and query of that URL are ever read. */
const FIXED_ORIGIN = 'http://receiver.invalid';

/**
 * The URL of a Node request, from its request line alone (`req.url`). The `Host` header is the client's to write:
 * joined into the URL (`http://${host}${path}`), a host such as `evil.example/leads?` would move the request to
 * another path. An absolute-form target (`GET http://host/path`, as sent to proxies) keeps its path and query.
 */
export function getRequestUrl(target: string | undefined): string {
  if (!target || target.startsWith('/')) return `${FIXED_ORIGIN}${target || '/'}`;
  try {
    const url = new URL(target);
    return `${FIXED_ORIGIN}${url.pathname}${url.search}`;
  } catch {
    return `${FIXED_ORIGIN}/`;
  }
}
