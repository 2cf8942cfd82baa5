// The npm build as an app bundles it, in real Chromium: a custom transport gets every event, in batches
// the wire format accepts, and the app sees intent through onIntent.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import type { Batch } from '@inkling/core';
import { validateBatch } from '@inkling/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../examples/npm-app/build.mjs';
import { launchChromium } from './chromium.js';

const received: Array<{ headers: Record<string, unknown>; batch: Batch }> = [];
let url = '';
const server = createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  if (path === '/api/analytics') {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, batch: JSON.parse(Buffer.concat(chunks).toString()).batch });
      res.writeHead(204).end();
    });
    return;
  }
  if (path === '/app.js')
    return res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync('examples/npm-app/dist/app.js'));
  res.writeHead(200, { 'content-type': 'text/html' }).end(readFileSync('examples/npm-app/index.html'));
});

beforeAll(async () => {
  await buildApp();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

it('delivers every event through the app’s own transport, and shows intent in the page', async () => {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(`${url}/app/`);
    await page.click('#plans');
    await page.click('#demo');
    await page.waitForFunction(() => document.querySelector('#intent')?.textContent?.startsWith('hot'));
    await page.evaluate(() => (window as unknown as { inkling: { flush(): Promise<void> } }).inkling.flush());
    await page.close();
    for (
      let i = 0;
      i < 50 && !received.some((r) => r.batch.events.some((e) => e.type === 'page_engagement' && e.page.path === '/app/plans'));
      i++
    ) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(received.every((r) => validateBatch(r.batch).ok)).toBe(true);
    expect(received.find((r) => !r.headers['x-app-session'])).toBeDefined();
    expect(received[0]!.headers['x-app-session']).toBe('anonymous');
    const events = [...new Map(received.flatMap((r) => r.batch.events).map((e) => [e.id, e])).values()];
    expect(events.filter((e) => e.type === 'page_view').map((e) => [e.page.path, e.page.kind])).toEqual([
      ['/app/', 'other'],
      ['/app/plans', 'pricing'],
    ]);
    expect(events.find((e) => e.type === 'track')?.props).toEqual({ name: 'demo_request', from: 'npm-app' });
    expect(events.find((e) => e.type === 'intent')?.props).toMatchObject({ level: 'hot', previous: 'cold' });
  } finally {
    await browser.close();
  }
});
