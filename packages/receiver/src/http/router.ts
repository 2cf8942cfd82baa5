import type { ReceiverRoutes } from '../options.js';

/** A matched route, with the lead id for `/leads/:id`. */
export type Route = { name: keyof ReceiverRoutes } | { name: 'lead'; id: string };

/** Matches a path against the configured routes (exact paths; `/leads/:id` with one segment). */
export function matchRoute(routes: ReceiverRoutes, pathname: string): Route | undefined {
  for (const name of Object.keys(routes) as (keyof ReceiverRoutes)[]) {
    if (pathname === routes[name]) return { name };
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
