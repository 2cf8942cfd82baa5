// Warm-lead intent on the demo site, in real Chromium: the four journeys a salesperson would judge, the
// intent events the browser sends, the data-inkling-intent attribute, and the dashboard showing the
// lead the server scored from the same events. Reading time is compressed with Playwright's clock.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo } from '../scripts/demo-server.mjs';
import { launchAsVisitor } from './chromium.js';

const S = 1000;
const DAY = 86_400 * S;

let browser: Browser;
let demo: Awaited<ReturnType<typeof startDemo>>;
// Signed intent webhooks the demo's consumer verified, with the team that got each (what `npm start` prints).
type Topic = { name: string; reads: number; minutes: number; score: number };
const webhooks: Array<{ team: string; type: string; data: { lead: { visitors: string[] }; reasons: string[]; topics: Topic[] } }> = [];

beforeAll(async () => {
  // A visitor's browser, not a headless one: the receiver keeps headless user agents out of scoring. Set for
  // the whole browser, since requests that outlive their page (keepalive) do not carry a context's override.
  [browser, demo] = await Promise.all([
    launchAsVisitor(),
    startDemo({
      sitePort: 0,
      receiverPort: 0,
      hooksPort: 0,
      database: ':memory:',
      onLead: (payload, team) => webhooks.push({ ...payload, team }),
    }),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

type Stored = { id: string; type: string; visitor: string; props: Record<string, unknown> };

async function stored(visitor: string): Promise<Stored[]> {
  const res = await fetch(`${demo.receiverUrl}/events`, {
    headers: { authorization: `Bearer ${demo.apiKey}`, accept: 'application/json' },
  });
  return ((await res.json()) as { events: Array<{ event: Stored }> }).events.map((e) => e.event).filter((e) => e.visitor === visitor);
}

async function journey(): Promise<{
  context: BrowserContext;
  page: Page;
  go(path: string): Promise<void>;
  visitor(): Promise<string>;
  level(): Promise<string | undefined>;
}> {
  const context = await browser.newContext();
  await context.clock.install({ time: new Date('2026-11-02T09:00:00Z') });
  await context.clock.pauseAt(new Date('2026-11-02T09:00:00Z'));
  const page = await context.newPage();
  return {
    context,
    page,
    async go(path) {
      await page.goto(`${demo.siteUrl}${path}`);
      await page.waitForFunction(
        () =>
          typeof (window as unknown as { inkling: { q?: unknown } }).inkling === 'function' &&
          !(window as unknown as { inkling: { q?: unknown } }).inkling.q,
        null,
        { polling: 50 },
      );
      await page.clock.runFor(2 * S);
    },
    visitor: () => page.evaluate(() => JSON.parse(localStorage.getItem('inkling:demo')!).v as string),
    level: () => page.evaluate(() => document.documentElement.dataset['inklingIntent']),
  };
}

/** Reads the page's article to the end at a reader's pace (60 px every 4 s), then a little more. */
async function readArticle(page: Page) {
  await page.mouse.move(640, 300);
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  for (let y = 0; y < height; y += 60) {
    await page.mouse.wheel(0, 60);
    await page.clock.runFor(4 * S);
  }
}

/** Sends what is queued and waits until the receiver has `type` events for this visitor. */
async function waitStored(page: Page, visitor: string, done: (events: Stored[]) => boolean): Promise<Stored[]> {
  await page.evaluate(() => (window as unknown as { inkling(c: string): Promise<void> }).inkling('flush'));
  for (let i = 0; i < 100; i++) {
    const events = await stored(visitor);
    if (done(events)) return events;
    await new Promise((r) => setTimeout(r, 100));
  }
  return stored(visitor);
}

const intents = (events: Stored[]) =>
  events.filter((e) => e.type === 'intent').map((e) => e.props as { level: string; previous: string; reasons: string[] });

describe('intent on the demo site', () => {
  it('makes a visitor who reads three articles, views pricing twice and comes back within a week warm, and the dashboard shows why', async () => {
    const j = await journey();
    const heard: string[] = [];
    await j.context.exposeFunction('heardIntent', (level: string) => heard.push(level));
    // Listens on every page, through the command queue, before the SDK has loaded.
    await j.context.addInitScript(() => {
      const w = window as unknown as { inkling: ((...a: unknown[]) => void) & { q?: unknown[] }; heardIntent(l: string): void };
      w.inkling = function (...args: unknown[]) {
        (w.inkling.q = w.inkling.q || []).push([Date.now(), args]);
      } as typeof w.inkling;
      w.inkling('onIntent', (i: { level: string }) => w.heardIntent(i.level));
    });
    await j.go('/blog/');
    for (const slug of ['five-day-close', 'reconciliation-backlog', 'variance-commentary']) {
      await j.go(`/blog/${slug}.html`);
      await readArticle(j.page);
    }
    await j.go('/pricing/');
    expect(await j.level()).toBe('cold');
    // Three days later: the second visit, and pricing again.
    await j.page.goto('about:blank');
    await j.context.clock.fastForward(3 * DAY);
    await j.go('/pricing/');
    await j.go('/docs/');
    expect(await j.level()).toBe('warm');
    expect(heard).toEqual(['warm']);
    const visitor = await j.visitor();
    const events = await waitStored(
      j.page,
      visitor,
      (e) => intents(e).length > 0 && e.filter((x) => x.type === 'article_read').length >= 3,
    );
    expect(events.filter((e) => e.type === 'article_read')).toHaveLength(3);
    expect(intents(events)).toEqual([expect.objectContaining({ level: 'warm', previous: 'cold' })]);
    expect(intents(events)[0]!.reasons).toEqual(
      expect.arrayContaining(['viewed pricing twice', expect.stringMatching(/^read 3 articles \(\d+ min\)$/)]),
    );
    const intent = await j.page.evaluate(() =>
      (window as unknown as { inkling(c: string): { level: string; reasons: string[] } }).inkling('getIntent'),
    );
    expect(intent.level).toBe('warm');

    // The server scores the same events itself and lists the lead as warm, with the reasons.
    const dashboard = await browser.newPage();
    let text = '';
    for (let i = 0; i < 50 && !text.includes('viewed pricing twice'); i++) {
      if (i) await new Promise((r) => setTimeout(r, 200));
      await dashboard.goto(demo.dashboardUrl);
      text = await dashboard.locator('body').innerText();
    }
    const leads = await (await fetch(`${demo.receiverUrl}/leads`, { headers: { authorization: `Bearer ${demo.apiKey}` } })).json();
    expect(text, JSON.stringify(leads)).toContain('viewed pricing twice');
    expect(text).toMatch(/read 3 articles/);
    expect(await dashboard.locator('[data-count="warm"]').innerText()).toBe('1');
    // ...and sent it, signed, to the webhook consumer, which verified it.
    for (let i = 0; i < 50 && !webhooks.some((w) => w.type === 'lead.warm' && w.team === 'sales'); i++)
      await new Promise((r) => setTimeout(r, 100));
    const warm = webhooks.find((w) => w.type === 'lead.warm' && w.team === 'sales')!;
    expect(warm.data.reasons).toContain('viewed pricing twice');
    // Two of the three articles were on month-end close (article:tag), one on reconciliation: the payload and its
    // reasons name the strongest topic, and each team whose topics are among the lead's three strongest got it.
    expect(warm.data.topics.map((t) => [t.name, t.reads])).toEqual([
      ['month-end close', 2],
      ['reconciliation', 1],
    ]);
    expect(warm.data.reasons).toEqual(expect.arrayContaining([expect.stringMatching(/^read 2 articles on month-end close \(\d+ min\)$/)]));
    expect(
      webhooks
        .filter((w) => w.type === 'lead.warm' && w.data.lead.visitors.includes(visitor))
        .map((w) => w.team)
        .sort(),
    ).toEqual(['close', 'controls', 'sales']);
    await dashboard.close();
    await j.context.close();
  });

  it('keeps a one-page bounce cold', async () => {
    const j = await journey();
    await j.go('/');
    await j.page.clock.runFor(10 * S);
    const visitor = await j.visitor();
    const events = await waitStored(j.page, visitor, (e) => e.some((x) => x.type === 'page_view'));
    expect(await j.level()).toBe('cold');
    expect(intents(events)).toEqual([]);
    await j.context.close();
  });

  it('keeps a visitor who only reads the careers pages cold, however long', async () => {
    const j = await journey();
    for (let i = 0; i < 3; i++) {
      await j.go('/careers/');
      await readArticle(j.page);
      await j.go('/careers/senior-accountant.html');
      await readArticle(j.page);
    }
    const visitor = await j.visitor();
    const events = await waitStored(j.page, visitor, (e) => e.filter((x) => x.type === 'page_view').length >= 6);
    expect(await j.level()).toBe('cold');
    expect(intents(events)).toEqual([]);
    await j.context.close();
  });

  it('makes a visitor who requests a demo hot', async () => {
    const j = await journey();
    await j.go('/contact/');
    await j.page.fill('#name', 'Jane Doe');
    await j.page.fill('#email', 'jane@acme.example');
    await j.page.selectOption('#company-size', { index: 1 }).catch(() => j.page.fill('#company-size', '50'));
    await j.page.click('form.demo-form button[type=submit]');
    await j.page.clock.runFor(S);
    expect(await j.level()).toBe('hot');
    const visitor = await j.visitor();
    const events = await waitStored(j.page, visitor, (e) => intents(e).length > 0);
    expect(intents(events)).toEqual([
      expect.objectContaining({ level: 'hot', previous: 'cold', reasons: expect.arrayContaining(['requested a demo']) }),
    ]);
    // Nothing typed in the form left the page.
    expect(JSON.stringify(events)).not.toMatch(/jane|Jane Doe/i);
    await j.context.close();
  });
});
