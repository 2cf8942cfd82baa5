import type { ReceiverRoutes } from '../options.js';

/** A matched route, with the lead id for `/leads/:id` and `/leads/:id/outcome`. */
export type Route = { name: keyof ReceiverRoutes | 'model' } | { name: 'lead' | 'outcome'; id: string };

/** The path under a lead where its outcome is posted. */
const OUTCOME_SUFFIX = '/outcome';
/** The path under the dashboard of the model page. */
const MODEL_SUFFIX = '/model';

/** Matches a path against the configured routes (exact paths; `/leads/:id` with one segment). */
export function matchRoute(routes: ReceiverRoutes, pathname: string): Route | undefined {
  for (const name of Object.keys(routes) as (keyof ReceiverRoutes)[]) {
    if (pathname === routes[name]) return { name };
  }
  if (pathname === routes.dashboard + MODEL_SUFFIX) return { name: 'model' };
  const prefix = `${routes.leads}/`;
  if (pathname.startsWith(prefix)) {
    const rest = pathname.slice(prefix.length);
    const outcome = rest.endsWith(OUTCOME_SUFFIX);
    let id: string;
    try {
      id = decodeURIComponent(outcome ? rest.slice(0, -OUTCOME_SUFFIX.length) : rest);
    } catch {
      return undefined;
    }
    if (id && !id.includes('/')) return { name: outcome ? 'outcome' : 'lead', id };
  }
  return undefined;
}
