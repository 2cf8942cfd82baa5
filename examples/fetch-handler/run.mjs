// Drives the route handler with Node's own Request and Response, the way a framework would.
// Run `npm run build` at the repo root first, then: node examples/fetch-handler/run.mjs
import { uuidv7 } from '@inkling/core';
import { GET, OPTIONS, pending, POST, receiver } from './route.mjs';

const base = 'https://app.example.com/api/inkling';
const now = new Date().toISOString();
const events = ['/blog/close-faster', '/pricing', '/pricing'].map((path, i) => ({
  id: uuidv7(),
  type: 'page_view',
  ts: now,
  visitor: 'v_example_0001',
  session: 's_example_0001',
  page: { path, kind: i === 0 ? 'article' : 'pricing' },
  props: { nav: 'load' },
}));

const preflight = await OPTIONS(
  new Request(`${base}/collect`, {
    method: 'OPTIONS',
    headers: { origin: 'https://www.example.com', 'access-control-request-method': 'POST' },
  }),
);
console.log('OPTIONS /collect', preflight.status, preflight.headers.get('access-control-allow-origin'));

const collected = await POST(
  new Request(`${base}/collect`, {
    method: 'POST',
    headers: { origin: 'https://www.example.com', 'content-type': 'text/plain;charset=UTF-8' },
    body: JSON.stringify({ v: 1, site: 'example.com', sentAt: now, events }),
  }),
);
console.log('POST /collect', collected.status, await collected.text());
await Promise.all(pending);

const leads = await GET(new Request(`${base}/leads`, { headers: { authorization: 'Bearer example-key-change-me-0123456789' } }));
const { leads: list } = await leads.json();
console.log(
  'GET /leads',
  leads.status,
  list.map((l) => ({ visitor: l.visitors[0], score: l.score, level: l.level, reasons: l.reasons })),
);
await receiver.close();
