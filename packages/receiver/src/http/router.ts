import type { ReceiverRoutes } from '../options.js';

/** A matched route, with the lead id for `/leads/:id` and `<dashboard>/leads/:id`. */
export type Route = { name: keyof ReceiverRoutes | 'logout' } | { name: 'lead' | 'leadPage'; id: string };

function matchId(pathname: string, prefix: string): string | undefined {
  if (!pathname.startsWith(prefix)) return undefined;
  try {
    const id = decodeURIComponent(pathname.slice(prefix.length));
    return id && !id.includes('/') ? id : undefined;
  } catch {
    return undefined;
  }
}

/** Matches a path against the configured routes (exact paths; `/leads/:id` with one segment). */
export function matchRoute(routes: ReceiverRoutes, pathname: string): Route | undefined {
  for (const name of Object.keys(routes) as (keyof ReceiverRoutes)[]) {
    if (pathname === routes[name]) return { name };
  }
  const id = matchId(pathname, `${routes.leads}/`);
  if (id !== undefined) return { name: 'lead', id };
  // The dashboard's own pages.
  const pageId = matchId(pathname, `${routes.dashboard}/leads/`);
  if (pageId !== undefined) return { name: 'leadPage', id: pageId };
  if (pathname === `${routes.dashboard}/logout`) return { name: 'logout' };
  return undefined;
}
