import { RequestError } from '../errors.js';
import type { ReceiverRoutes } from '../options.js';
import { checkApiKey } from './auth.js';

/**
 * The name of a receiver route: one per configured path, plus `lead` for `/leads/:id`, `account` for `/accounts/:id`, `outcome` for
 * `/leads/:id/outcome`, and the dashboard's own pages `leadPage` (`<dashboard>/leads/:id`), `accountsPage`
 * (`<dashboard>/accounts`), `accountPage` (`<dashboard>/accounts/:id`), `model` (`<dashboard>/model`) and `logout`
 * (`<dashboard>/logout`).
 */
export type RouteName =
  keyof ReceiverRoutes | 'lead' | 'account' | 'outcome' | 'leadPage' | 'accountsPage' | 'accountPage' | 'logout' | 'model';

/** A matched route, with the lead id for `/leads/:id` and `<dashboard>/leads/:id`. */
export interface RouteMatch {
  name: RouteName;
  /** The decoded `:id` segment; empty for every other route. */
  id: string;
}

/** What a route's handler is given. */
export interface RouteRequest {
  request: Request;
  url: URL;
  /** The decoded `:id` segment of `/leads/:id` and `<dashboard>/leads/:id`; empty for every other route. */
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
   * `api`: the API key in `Authorization: Bearer`. Omitted: public, or checked by the handler itself (the HTML
   * pages take a session cookie or a one-time `?key=`; see `pages/sign-in.ts`).
   */
  auth?: 'api';
  handle(route: RouteRequest, context: Context): Promise<Response>;
}

/** The receiver's routes by name; every name must have a row, so a new route cannot be left unhandled. */
export type RouteTable<Context> = Record<RouteName, Route<Context>>;

function matchId(pathname: string, prefix: string): string | undefined {
  if (!pathname.startsWith(prefix)) return undefined;
  try {
    const id = decodeURIComponent(pathname.slice(prefix.length));
    return id && !id.includes('/') ? id : undefined;
  } catch {
    return undefined;
  }
}

/** The path under a lead where its outcome is posted. */
const OUTCOME_SUFFIX = '/outcome';

/** Matches a path against the configured routes (exact paths; `/leads/:id` with one segment). */
export function matchRoute(routes: ReceiverRoutes, pathname: string): RouteMatch | undefined {
  for (const name of Object.keys(routes) as (keyof ReceiverRoutes)[]) {
    if (pathname === routes[name]) return { name, id: '' };
  }
  const id = matchId(pathname, `${routes.leads}/`);
  if (id !== undefined) return { name: 'lead', id };
  const accountId = matchId(pathname, `${routes.accounts}/`);
  if (accountId !== undefined) return { name: 'account', id: accountId };
  if (pathname.endsWith(OUTCOME_SUFFIX)) {
    const outcomeId = matchId(pathname.slice(0, -OUTCOME_SUFFIX.length), `${routes.leads}/`);
    if (outcomeId !== undefined) return { name: 'outcome', id: outcomeId };
  }
  if (pathname === `${routes.dashboard}/model`) return { name: 'model', id: '' };
  const pageId = matchId(pathname, `${routes.dashboard}/leads/`);
  if (pageId !== undefined) return { name: 'leadPage', id: pageId };
  if (pathname === `${routes.dashboard}/accounts`) return { name: 'accountsPage', id: '' };
  const accountPageId = matchId(pathname, `${routes.dashboard}/accounts/`);
  if (accountPageId !== undefined) return { name: 'accountPage', id: accountPageId };
  if (pathname === `${routes.dashboard}/logout`) return { name: 'logout', id: '' };
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
      throw new RequestError('method_not_allowed', 405, `method: expected ${route.methods[0]}, got ${request.method}`, {
        headers: { allow },
      });
    }
    if (route.auth) checkApiKey(request, url, apiKey, false);
    return route.handle({ request, url, id: match.id }, context);
  };
}
