// The receiver on plain node:http. Run `npm run build` at the repo root first, then:
//   INKLING_API_KEY=change-me-to-a-long-random-key node examples/node-http/server.mjs
//   node examples/node-http/server.mjs --check   (starts, posts one batch to itself, prints the answer, stops)
import { createServer } from 'node:http';
import { uuidv7 } from '@inkling/core';
import { createNodeHandler, createReceiver } from '@inkling/receiver';

const check = process.argv.includes('--check');
const receiver = createReceiver({
  database: check ? ':memory:' : 'inkling-node-http.db',
  allowedOrigins: ['http://127.0.0.1:8080'],
  apiKey: process.env.INKLING_API_KEY ?? 'example-key-change-me-0123456789',
});

const server = createServer(createNodeHandler(receiver));
server.listen(check ? 0 : 8787, '127.0.0.1', async () => {
  const url = `http://127.0.0.1:${server.address().port}`;
  console.log(`Inkling receiver on ${url} (POST ${url}/collect, dashboard ${url}/dashboard?key=...)`);
  if (!check) return;
  const now = new Date().toISOString();
  const batch = {
    v: 1,
    site: 'example.com',
    sentAt: now,
    events: [
      {
        id: uuidv7(),
        type: 'page_view',
        ts: now,
        visitor: 'v_example_0001',
        session: 's_example_0001',
        page: { path: '/pricing', kind: 'pricing' },
        props: { nav: 'load' },
      },
    ],
  };
  const response = await fetch(`${url}/collect`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: JSON.stringify(batch),
  });
  console.log(response.status, await response.text());
  server.close();
  await receiver.close();
});
