// The receiver inside an Express 5 app. Run `npm run build` at the repo root first, then:
//   node examples/express/server.mjs            (serves on http://127.0.0.1:8787)
//   node examples/express/server.mjs --check    (starts, posts one batch, reads the lead API, stops)
import express from 'express';
import { uuidv7 } from '@inkling/core';
import { createExpressHandler, createReceiver } from '@inkling/receiver';

const check = process.argv.includes('--check');
const apiKey = process.env.INKLING_API_KEY ?? 'example-key-change-me-0123456789';
const receiver = createReceiver({ database: check ? ':memory:' : 'inkling-express.db', allowedOrigins: ['http://127.0.0.1:8080'], apiKey });

const app = express();
// Mount the receiver before any body parser: it reads the raw body with its own 64 KiB cap.
app.use('/inkling', createExpressHandler(receiver));
app.use(express.json());
app.get('/', (_req, res) => res.send('Your app. Inkling is under /inkling.'));

const server = app.listen(check ? 0 : 8787, '127.0.0.1', async () => {
  const url = `http://127.0.0.1:${server.address().port}`;
  console.log(`App on ${url}; Inkling collects at ${url}/inkling/collect`);
  if (!check) return;
  const now = new Date().toISOString();
  const event = {
    id: uuidv7(),
    type: 'page_view',
    ts: now,
    visitor: 'v_example_0001',
    session: 's_example_0001',
    page: { path: '/pricing', kind: 'pricing' },
    props: { nav: 'load' },
  };
  const collected = await fetch(`${url}/inkling/collect`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: JSON.stringify({ v: 1, site: 'example.com', sentAt: now, events: [event] }),
  });
  console.log('POST /inkling/collect', collected.status, await collected.text());
  await receiver.flush();
  const leads = await fetch(`${url}/inkling/leads`, { headers: { authorization: `Bearer ${apiKey}` } });
  const { leads: list } = await leads.json();
  console.log(
    'GET /inkling/leads',
    leads.status,
    list.map((l) => `${l.visitors[0]} ${l.level} ${l.score}`),
  );
  server.close();
  await receiver.close();
});
