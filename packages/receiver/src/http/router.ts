import { RequestError } from '../errors.js';
import type { ReceiverRoutes } from '../options.js';
import { checkApiKey } from './auth.js';

/** The name of a receiver route: one per configured path, plus `lead` for `/leads/:id`. */
export type RouteName = keyof ReceiverRoutes | 'lead';

/** A matched route, with the lead id for `/leads/:id`. */
export interface RouteMatch {
  name: RouteName;
  /** The decoded `:id` segment of `/leads/:id`; empty for every other route. */
  id: string;
}

/** What a route's handler is given. */
export interface RouteRequest {
  request: Request;
  url: URL;
  /** The decoded `:id` segment of `/leads/:id`; empty for every other route. */
  id: string;
}

/** One row of the route table: who may call it, with which methods, and what answers. */
export interface Route<Context> {
  /**
   * Methods answered; any other is refused with 405 and an `Allow` header. Omitted where the handler answers
   * every method itself (the collector answers preflights and refuses the rest with its own error).
   */
  methods?: readonly string[];
  /**
   * `api`: the API key in `Authorization: Bearer`. `page`: the same, or `?key=` (pages are opened from a link).
   * Omitted: public.
   */
  auth?: 'api' | 'page';
  handle(route: RouteRequest, context: Context): Promise<Response>;
}

/** The receiver's routes by name; every name must have a row, so a new route cannot be left unhandled. */
export type RouteTable<Context> = Record<RouteName, Route<Context>>;

/** Matches a path against the configured routes (exact paths; `/leads/:id` with one segment). */
export function matchRoute(routes: ReceiverRoutes, pathname: string): RouteMatch | undefined {
  for (const name of Object.keys(routes) as (keyof ReceiverRoutes)[]) {
    if (pathname === routes[name]) return { name, id: '' };
  }
  const prefix = `${routes.leads}/`;
  if (pathname.startsWith(prefix)) {
    let id: string;
    try {
      id = decodeURIComponent(pathname.slice(prefix.length));
    } catch {
      return undefined;
    }
    if (id && !id.includes('/')) return { name: 'lead', id };
  }
  return undefined;
}

/**
 * A request handler over a route table. It routes on the request URL's path alone; adapters build that URL from
 * the request line, never from the `Host` header, so a forged host cannot reach another route.
 */
export function createRouter<Context>(routes: ReceiverRoutes, table: RouteTable<Context>, apiKey: string | undefined) {
  return async (request: Request, context: Context): Promise<Response> => {
    const url = new URL(request.url);
    const match = matchRoute(routes, url.pathname);
    if (!match) throw new RequestError('not_found', 404, `path: ${url.pathname} is not a receiver route`);
    const route = table[match.name];
    if (route.methods && !route.methods.includes(request.method)) {
      const allow = route.methods.join(', ');
      throw new RequestError('method_not_allowed', 405, `method: expected ${route.methods[0]}, got ${request.method}`, { headers: { allow } });
    }
    if (route.auth) checkApiKey(request, url, apiKey, route.auth === 'page');
    return route.handle({ request, url, id: match.id }, context);
  };
}
