import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { API_KEY, batchOf, bounce, closeServer, createClock, createTestReceiver, post, warmJourney } from '../../test/helpers.js';
import { createExpressHandler } from './express.js';
import type { Receiver } from '../index.js';

let server: Server;
let receiver: Receiver;

afterEach(async () => {
  await closeServer(server);
  await receiver.close();
});

async function start(build: (app: express.Express) => void): Promise<string> {
  receiver = createTestReceiver({}, createClock());
  const app = express();
  build(app);
  app.get('/other', (_req, res) => void res.send('the app'));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('Express adapter', () => {
  it('collects a text/plain batch when mounted before express.json(), and serves the lead API', async () => {
    const url = await start((app) => {
      app.use('/inkling', createExpressHandler(receiver));
      app.use(express.json());
    });
    const batch = batchOf(warmJourney('v_express_001', Date.now()), Date.now());
    const response = await fetch(`${url}/inkling/collect`, { method: 'POST', ...post(batch) });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: 10, duplicates: 0 });
    await receiver.flush();
    const leads = await fetch(`${url}/inkling/leads?level=warm`, { headers: { authorization: `Bearer ${API_KEY}` } });
    expect(((await leads.json()) as { leads: { visitors: string[] }[] }).leads.map((l) => l.visitors)).toEqual([['v_express_001']]);
    expect(await (await fetch(`${url}/other`)).text()).toBe('the app');
  });

  it('collects a JSON batch after express.json() has parsed the body', async () => {
    const url = await start((app) => {
      app.use(express.json());
      app.use(createExpressHandler(receiver));
    });
    const response = await fetch(`${url}/collect`, {
      method: 'POST',
      ...post(batchOf(bounce('v_express_001', Date.now()), Date.now()), { 'content-type': 'application/json' }),
    });
    expect(response.status).toBe(202);
    expect(await receiver.store.countEvents()).toBe(1);
  });

  it('bad JSON: answers 400 bad_json through Express', async () => {
    const url = await start((app) => app.use(createExpressHandler(receiver)));
    const response = await fetch(`${url}/collect`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"v":1,' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('bad_json');
    expect(await receiver.store.countEvents()).toBe(0);
  });
});
