// A Fetch-API route handler: the same receiver serves a Next.js App Router route, Hono, Deno, Bun or a Worker.
// Next.js: save as app/api/inkling/[...path]/route.js (Node runtime: the default SQLite store needs it).
import { createReceiver } from '@inkling/receiver';

const receiver = createReceiver({
  basePath: '/api/inkling',
  database: process.env.INKLING_DB ?? ':memory:',
  allowedOrigins: ['https://www.example.com'],
  apiKey: process.env.INKLING_API_KEY ?? 'example-key-change-me-0123456789',
  // Serverless: no timers outliving a request; each accepted batch is scored in waitUntil (see below).
  background: false,
});

const handle = (request) =>
  receiver.fetch(request, { waitUntil: (promise) => pending.add(promise.finally(() => pending.delete(promise))) });

/** Work started after an answer (scoring, webhooks); a platform's waitUntil keeps it alive. */
export const pending = new Set();

export { receiver };
export const GET = handle;
export const POST = handle;
export const OPTIONS = handle;

// Hono: app.all('/api/inkling/*', (c) => receiver.fetch(c.req.raw, { waitUntil: (p) => c.executionCtx.waitUntil(p) }))
// Workers: export default { fetch: (request, env, ctx) => receiver.fetch(request, { waitUntil: (p) => ctx.waitUntil(p) }) }
// (on Workers, pass your own `store`: the default SQLite store needs a native module).
