import { createTracker } from '@inkling/browser';

/**
 * The app's one tracker, created when this module is first evaluated. In the browser that is once per page
 * load, and it tracks from then on, SPA navigations included. On the server (client components are rendered
 * there too) createTracker() returns a tracker that does nothing, so importing this module anywhere is safe.
 *
 * NEXT_PUBLIC_ variables are written into the client bundle by `next build`.
 */
export const inkling = createTracker({
  endpoint: process.env.NEXT_PUBLIC_INKLING_ENDPOINT ?? 'http://localhost:8787/collect',
  site: 'nextjs-example',
  debug: process.env.NEXT_PUBLIC_INKLING_DEBUG === '1',
});
