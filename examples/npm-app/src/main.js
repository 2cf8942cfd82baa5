// An app that bundles Inkling from npm and delivers its events through a custom transport: to the app's own
// API, next to the HTTP collector. Built with `node examples/npm-app/build.mjs`.
import { createHttpTransport, createTracker } from '@inkling/browser';

/**
 * A transport is a name and a send() that answers like HTTP. This one posts each batch to the app's own
 * same-origin API with its session header (same origin, so the header costs no CORS preflight), and
 * falls back to a plain keepalive request when the page is going away, where custom headers cannot be used.
 */
const appApi = {
  name: 'app-api',
  async send(batch, { unload }) {
    const body = JSON.stringify({ source: 'inkling', batch });
    const response = await fetch('/api/analytics', {
      method: 'POST',
      body,
      keepalive: unload,
      headers: unload ? undefined : { 'content-type': 'application/json', 'x-app-session': window.appSession ?? 'anonymous' },
    });
    return { status: response.status, retryAfter: response.headers.get('retry-after') };
  },
};

const collector = document.querySelector('meta[name="collector"]')?.content;

export const inkling = createTracker({
  transports: [appApi, ...(collector ? [createHttpTransport(collector)] : [])],
  site: 'npm-app',
  kinds: { pricing: '/app/plans', docs: '/app/help/*' },
  onError: (error) => console.warn('inkling:', error.message),
});

inkling.onIntent(({ level, reasons }) => {
  document.querySelector('#intent').textContent = `${level}: ${reasons.join('; ')}`;
});

document.querySelector('#plans')?.addEventListener('click', () => history.pushState({}, '', '/app/plans'));
document.querySelector('#demo')?.addEventListener('click', () => inkling.track('demo_request', { from: 'npm-app' }));
window.inkling = inkling;
