// Consent, Global Privacy Control, scrubbing and erasure, in real Chromium through the built script.
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDemo } from '../scripts/demo-server.mjs';
import { launchAsVisitor } from './chromium.js';
import { page as html, startCollector, startSite } from './collector.js';
import type { Collector, Site } from './collector.js';

let browser: Browser;
let collector: Collector;
let site: Site;

beforeAll(async () => {
  collector = await startCollector();
  const endpoint = `${collector.url}/collect`;
  site = await startSite({
    '/pending': html(endpoint, '<h1>Docs</h1><a id="next" href="/pending-2">Next</a>', { attrs: { consent: 'pending' } }),
    '/pending-2': html(endpoint, '<h1>Pricing</h1>', { attrs: { consent: 'pending' } }),
    '/granted': html(endpoint, '<h1>Home</h1>'),
    '/gpc-opt-out': html(endpoint, '<h1>Home</h1>', { attrs: { 'respect-gpc': 'false' } }),
  });
  browser = await launchAsVisitor();
});
afterAll(async () => {
  await browser?.close();
  await Promise.all([collector?.close(), site?.close()]);
});
beforeEach(async () => {
  await collector.reset();
});

const inkling = (page: Page, ...args: unknown[]) =>
  page.evaluate((a) => (window as unknown as { inkling(...x: unknown[]): unknown }).inkling(...a), args);
const ready = (page: Page) =>
  page.waitForFunction(() => typeof (window as unknown as { inkling?: unknown }).inkling === 'function', null, { polling: 50 });

/** What Inkling keeps in this origin's storage: IndexedDB databases and localStorage keys. */
const storage = (page: Page) =>
  page.evaluate(async () => ({
    databases: (await indexedDB.databases()).map((d) => d.name).filter((n) => n?.startsWith('inkling')),
    localStorage: Object.keys(localStorage).filter((k) => k.startsWith('inkling')),
  }));

const settle = () => new Promise((r) => setTimeout(r, 700));

describe('consent', () => {
  let context: BrowserContext;
  beforeEach(async () => {
    context = await browser.newContext();
  });

  it('keeps everything in memory while pending, then delivers it once when granted', async () => {
    const page = await context.newPage();
    await page.goto(`${site.url}/pending`);
    await ready(page);
    await inkling(page, 'track', 'video_play');
    await inkling(page, 'flush');
    await settle();
    expect(await storage(page)).toEqual({ databases: [], localStorage: [] });
    expect(collector.requests).toEqual([]);
    await inkling(page, 'consent', 'granted');
    await inkling(page, 'flush');
    const events = await collector.waitForEvents(3);
    expect(events.map((e) => e.type)).toEqual(['visit_start', 'page_view', 'track']);
    await settle();
    expect(collector.events()).toHaveLength(3);
    const stored = await storage(page);
    expect(stored.localStorage).toEqual(['inkling:e2e']);
    // Everything stored is in the data inventory, under its documented name and with its documented fields.
    const inventory = readFileSync('PRIVACY.md', 'utf8');
    const names = [...stored.databases, ...stored.localStorage].map((n) =>
      n!.replace(':e2e', ':<site>').replace(/:q:http$/, ':q:<transport>'),
    );
    expect(names.length).toBeGreaterThanOrEqual(3);
    for (const name of names) expect(inventory, name).toContain(`\`${name}\``);
    const fields = Object.keys(JSON.parse((await page.evaluate(() => localStorage.getItem('inkling:e2e')))!) as object);
    expect(fields.filter((f) => !['v', 'n', 's', 'a', 't', 'u', 'g'].includes(f))).toEqual([]);
    await context.close();
  });

  it('erases what it stored and sends nothing more once denied, in every tab', async () => {
    const page = await context.newPage();
    const other = await context.newPage();
    await page.goto(`${site.url}/granted`);
    await other.goto(`${site.url}/granted`);
    await Promise.all([ready(page), ready(other)]);
    await inkling(page, 'track', 'video_play');
    await inkling(page, 'flush');
    await collector.waitForEvents(3);
    expect((await storage(page)).databases.length).toBeGreaterThan(0);
    await inkling(page, 'consent', 'denied');
    await settle();
    expect(await storage(page)).toEqual({ databases: [], localStorage: [] });
    const before = collector.requests.length;
    // The other tab heard it too: its tracking stops, and nothing comes back.
    await inkling(other, 'track', 'after_denial');
    await inkling(page, 'track', 'after_denial');
    await Promise.all([inkling(page, 'flush'), inkling(other, 'flush')]);
    await other.goto('about:blank');
    await settle();
    expect(collector.requests.slice(before)).toEqual([]);
    expect(await storage(page)).toEqual({ databases: [], localStorage: [] });
    expect(await inkling(page, 'getStats')).toMatchObject({ dropped: { consent: expect.any(Number) } });
    await context.close();
  });

  it('treats Global Privacy Control as a refusal unless the site opts otherwise', async () => {
    const gpc = await browser.newContext();
    await gpc.addInitScript(() => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }));
    const page = await gpc.newPage();
    await page.goto(`${site.url}/granted`);
    await ready(page);
    await inkling(page, 'track', 'video_play');
    await inkling(page, 'flush');
    await settle();
    expect(collector.requests).toEqual([]);
    expect(await storage(page)).toEqual({ databases: [], localStorage: [] });
    // data-respect-gpc="false": this site decided otherwise.
    await page.goto(`${site.url}/gpc-opt-out`);
    await ready(page);
    await inkling(page, 'flush');
    expect((await collector.waitForEvents(2)).map((e) => e.type)).toEqual(['visit_start', 'page_view']);
    await gpc.close();
  });
});

describe('data minimisation', () => {
  it('scrubs e-mail addresses and tokens from URLs, referrers and props before sending', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${site.url}/granted?email=a@b.com&token=abc123&plan=team&utm_source=news`, {
      referer: 'https://mail.example/?to=jane@acme.io',
    });
    await ready(page);
    await inkling(page, 'track', 'contact_request', { note: 'reach me at a@b.com', topic: 'pricing' });
    await inkling(page, 'flush');
    const events = await collector.waitForEvents(3);
    const sent = JSON.stringify(events);
    expect(sent).not.toMatch(/a@b\.com|abc123|jane@acme/);
    expect(events.find((e) => e.type === 'page_view')?.page).toMatchObject({
      path: '/granted?plan=team&utm_source=news',
      referrer: 'https://mail.example/',
    });
    expect(events.find((e) => e.type === 'track')?.props).toEqual({
      name: 'contact_request',
      note: 'reach me at [email]',
      topic: 'pricing',
    });
    // No cookies, ever.
    expect(await context.cookies()).toEqual([]);
    await context.close();
  });
});

describe('erasure', () => {
  it('forget() erases the visitor in the browser, from the receiver store and from the lead API', async () => {
    const demo = await startDemo({ sitePort: 0, receiverPort: 0, hooksPort: 0, database: ':memory:' });
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      const api = async (path: string) =>
        (
          await fetch(`${demo.receiverUrl}${path}`, { headers: { authorization: `Bearer ${demo.apiKey}`, accept: 'application/json' } })
        ).json();
      await page.goto(`${demo.siteUrl}/contact/`);
      await ready(page);
      await inkling(page, 'identify', 'lead-forget-me');
      await inkling(page, 'track', 'demo_request');
      await inkling(page, 'flush');
      const visitor = await page.evaluate(() => JSON.parse(localStorage.getItem('inkling:demo')!).v as string);
      const hasLead = async () =>
        ((await api('/leads')) as { leads: Array<{ visitors: string[] }> }).leads.some((l) => l.visitors.includes(visitor));
      const hasEvents = async () =>
        ((await api('/events')) as { events: Array<{ visitor: string }> }).events.some((e) => e.visitor === visitor);
      for (let i = 0; i < 50 && !(await hasLead()); i++) await new Promise((r) => setTimeout(r, 100));
      expect(await hasLead()).toBe(true);

      await inkling(page, 'forget');
      for (let i = 0; i < 50 && ((await hasLead()) || (await hasEvents())); i++) await new Promise((r) => setTimeout(r, 100));
      expect(await hasLead()).toBe(false);
      expect(await hasEvents()).toBe(false);
      // In the browser: a new visitor, and nothing of the old one left.
      const after = await page.evaluate(() => localStorage.getItem('inkling:demo'));
      expect(after ?? '').not.toContain(visitor);
      expect(await page.evaluate(() => document.documentElement.dataset['inklingIntent'])).toBe('cold');
      await context.close();
    } finally {
      await demo.close();
    }
  });
});
