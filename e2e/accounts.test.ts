// group() in real Chromium, in every form a site calls it: the script tag's stub and array queues before it loads,
// `inkling(...)` after, and the npm module's tracker. What reaches the collector is what the wire format says.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnyEvent } from '@inkling/core';
import type { Browser, Page } from 'playwright-core';
import { rollup } from 'rollup';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDemo } from '../scripts/demo-server.mjs';
import { launchAsVisitor } from './chromium.js';
import { page as html, startCollector, startSite } from './collector.js';
import type { Collector, Site } from './collector.js';

const STUB =
  'window.inkling = window.inkling || function () { (inkling.q = inkling.q || []).push([Date.now(), arguments]); }; inkling.push = inkling.push || function (c) { inkling.apply(null, c); };';

let browser: Browser;
let collector: Collector;
let site: Site;
const appDir = mkdtempSync(join(tmpdir(), 'inkling-accounts-'));

beforeAll(async () => {
  collector = await startCollector();
  const endpoint = `${collector.url}/collect`;
  // The npm module as an app bundles it.
  const bundle = await rollup({
    input: 'entry',
    onwarn: () => {},
    plugins: [
      {
        name: 'entry',
        resolveId: (id) => (id === 'entry' ? id : null),
        load: (id) =>
          id === 'entry'
            ? `import { createTracker } from '@inkling/browser';
               window.tracker = createTracker({ endpoint: ${JSON.stringify(endpoint)}, site: 'e2e-npm', onError: (e) => console.error(e.message) });`
            : null,
      },
      nodeResolve({ browser: true }),
    ],
  });
  writeFileSync(join(appDir, 'npm.js'), (await bundle.generate({ format: 'es' })).output[0].code);
  site = await startSite(
    {
      '/stub': html(endpoint, '<h1>Pricing</h1>', {
        head: `<script>${STUB} inkling('group', ' acct_stub ', { name: 'Northwind', owner: 'ada@northwind.com' }); inkling('track', 'queued');</script>`,
        attrs: { debug: 'true' },
      }),
      '/array': html(endpoint, '<h1>Docs</h1>', {
        head: `<script>(window.inkling = window.inkling || []).push(['group', 'acct_array']);</script>`,
      }),
      '/next': html(endpoint, '<h1>Next</h1>'),
      '/npm': `<!doctype html><html><head><meta charset="utf-8"><title>npm</title><script type="module" src="/app/npm.js"></script></head><body><h1>App</h1></body></html>`,
    },
    { '/app/': `${appDir}/` },
  );
  browser = await launchAsVisitor();
});
afterAll(async () => {
  await browser?.close();
  await Promise.all([collector?.close(), site?.close()]);
  rmSync(appDir, { recursive: true, force: true });
});
beforeEach(async () => {
  await collector.reset();
});

const inkling = (page: Page, ...args: unknown[]) =>
  page.evaluate((a) => (window as unknown as { inkling(...x: unknown[]): unknown }).inkling(...a), args);
const ready = (page: Page) =>
  page.waitForFunction(() => typeof (window as unknown as { inkling?: unknown }).inkling === 'function', null, { polling: 50 });
const stored = (page: Page, site = 'e2e') =>
  page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? '{}') as { g?: string }, `inkling:${site}`);
const sent = () => collector.events() as AnyEvent[];
const ofType = (type: string) => sent().filter((e) => e.type === type);
const track = (name: string) => sent().find((e) => e.type === 'track' && e.props.name === name);

describe('group() through the script tag', () => {
  it('replays the stub’s call before load, stamps every later event, survives a page load, and leaves with null', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const warnings: string[] = [];
    page.on('console', (m) => warnings.push(m.text()));
    await page.goto(`${site.url}/stub`);
    await ready(page);
    await inkling(page, 'flush');
    await collector.waitForEvents(4);
    const [group] = ofType('group');
    expect(group).toMatchObject({
      account: 'acct_stub',
      props: { accountId: 'acct_stub', traits: { name: 'Northwind', owner: '[email]' } },
    });
    expect(track('queued')?.account).toBe('acct_stub');
    expect(await stored(page)).toMatchObject({ g: 'acct_stub' });

    // Bad input: the short code in the console, nothing sent, nothing broken, the account kept.
    await inkling(page, 'group', 'ada@northwind.com');
    await inkling(page, 'group', { id: 1 });
    await inkling(page, 'group', 'x'.repeat(129));
    await inkling(page, 'track', 'after_bad');
    await inkling(page, 'flush');
    await collector.settle();
    expect(warnings.filter((w) => w.includes('Inkling E30: see https://inkling.dev/docs/errors.md#e30'))).toHaveLength(3);
    expect(ofType('group')).toHaveLength(1);
    expect(track('after_bad')?.account).toBe('acct_stub');
    expect(JSON.stringify(sent())).not.toContain('northwind.com');

    // The next page load of the same visitor carries the account from storage.
    await page.goto(`${site.url}/next`);
    await ready(page);
    await inkling(page, 'group', 'acct_moved');
    await inkling(page, 'track', 'moved');
    await inkling(page, 'group', null);
    await inkling(page, 'track', 'left');
    await inkling(page, 'flush');
    await collector.settle();
    expect(sent().find((e) => e.type === 'page_view' && e.page.path === '/next')?.account).toBe('acct_stub');
    expect(ofType('group').map((e) => e.account)).toEqual(['acct_stub', 'acct_moved']);
    expect(track('moved')?.account).toBe('acct_moved');
    expect(track('left')).not.toHaveProperty('account');
    expect(await stored(page)).not.toHaveProperty('g');
    await context.close();
  });

  it('replays the array queue, and forget() and a refusal of consent each erase the account', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${site.url}/array`);
    await ready(page);
    await inkling(page, 'track', 'grouped');
    await inkling(page, 'flush');
    await collector.waitForEvents(4);
    expect(ofType('group').map((e) => [e.account, e.props])).toEqual([['acct_array', { accountId: 'acct_array' }]]);
    expect(track('grouped')?.account).toBe('acct_array');

    await inkling(page, 'forget');
    await inkling(page, 'track', 'forgotten');
    await inkling(page, 'flush');
    await collector.settle();
    expect(track('forgotten')).toBeDefined();
    expect(track('forgotten')).not.toHaveProperty('account');

    await inkling(page, 'group', 'acct_again');
    expect(await stored(page)).toMatchObject({ g: 'acct_again' });
    await inkling(page, 'consent', 'denied');
    await collector.settle();
    expect(await page.evaluate(() => localStorage.getItem('inkling:e2e'))).toBeNull();
    await inkling(page, 'consent', 'granted');
    await inkling(page, 'track', 'regranted');
    await inkling(page, 'flush');
    await collector.settle();
    expect(track('regranted')).toBeDefined();
    expect(track('regranted')).not.toHaveProperty('account');
    await context.close();
  });
});

describe('group() through the npm module', () => {
  it('is a method of the tracker, with the same checks and the same account on every later event', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(`${site.url}/npm`);
    await page.waitForFunction(() => 'tracker' in window, null, { polling: 50 });
    await page.evaluate(async () => {
      const t = (window as unknown as { tracker: { group(...a: unknown[]): void; track(n: string): void; flush(): Promise<void> } })
        .tracker;
      t.group('acct_npm', { plan: 'team' });
      t.group('');
      t.track('from_npm');
      await t.flush();
    });
    await collector.waitForEvents(4);
    expect(ofType('group').map((e) => [e.account, e.props])).toEqual([['acct_npm', { accountId: 'acct_npm', traits: { plan: 'team' } }]]);
    expect(track('from_npm')?.account).toBe('acct_npm');
    expect(errors).toEqual([
      'Inkling: group() needs your own id for the account (1 to 128 characters, not an e-mail address) and traits as an object, or null to leave it; got ""',
    ]);
    expect(await stored(page, 'e2e-npm')).toMatchObject({ g: 'acct_npm' });
    await context.close();
  });
});

describe('accounts in the demo', () => {
  type Hook = { team: string; type: string; data: Record<string, unknown> };

  /** Reads the page's article to the end at a reader's pace (60 px every 4 s), as e2e/intent.test.ts does. */
  async function readArticle(page: Page) {
    await page.mouse.move(640, 300);
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    for (let y = 0; y < height; y += 60) {
      await page.mouse.wheel(0, 60);
      await page.clock.runFor(4000);
    }
  }

  it('makes Contoso warm from two people, one in its workspace (group) and one subscribed with a contoso.com address, each lead cold', async () => {
    const hooks: Hook[] = [];
    const demo = await startDemo({
      sitePort: 0,
      receiverPort: 0,
      hooksPort: 0,
      database: ':memory:',
      onLead: (payload: Omit<Hook, 'team'>, team: string) => hooks.push({ ...payload, team }),
    });
    try {
      const visit = async () => {
        const context = await browser.newContext();
        const start = new Date();
        await context.clock.install({ time: start });
        await context.clock.pauseAt(start);
        const page = await context.newPage();
        const go = async (path: string) => {
          await page.goto(`${demo.siteUrl}${path}`);
          await page.waitForFunction(
            () =>
              typeof (window as unknown as { inkling: { q?: unknown } }).inkling === 'function' &&
              !(window as unknown as { inkling: { q?: unknown } }).inkling.q,
            null,
            { polling: 50 },
          );
          await page.clock.runFor(2000);
        };
        return { context, page, go };
      };
      const ada = await visit();
      await ada.go('/docs/getting-started.html');
      await ada.page.click('.workspace-open');
      await ada.page.waitForSelector('.workspace-thanks:not([hidden])');

      const grace = await visit();
      await grace.go('/blog/');
      await grace.page.fill('#newsletter-email', 'grace@contoso.com');
      await grace.page.click('.newsletter-form button');
      await grace.page.waitForSelector('.newsletter-thanks:not([hidden])');

      for (const person of [ada, grace]) {
        await person.go('/blog/reconciliation-backlog.html');
        await readArticle(person.page);
        await person.go('/pricing/');
        await person.page.evaluate(() => (window as unknown as { inkling(c: string): Promise<void> }).inkling('flush'));
      }

      // The browser never sent the e-mail address: the site's backend told the receiver.
      const sentByBrowsers = JSON.stringify(
        (
          (await (
            await fetch(`${demo.receiverUrl}/events?limit=500`, {
              headers: { authorization: `Bearer ${demo.apiKey}`, accept: 'application/json' },
            })
          ).json()) as { events: Array<{ event: AnyEvent }> }
        ).events
          .map((e) => e.event)
          .filter((e) => !e.visitor.startsWith('srv_')),
      );
      expect(sentByBrowsers).not.toContain('grace@contoso.com');
      expect(sentByBrowsers).toContain('"account":"domain:contoso.com"');

      await expect
        .poll(() => hooks.some((h) => h.type === 'account.warm' && h.team === 'sales'), { timeout: 20_000, interval: 200 })
        .toBe(true);
      const warm = hooks.find((h) => h.type === 'account.warm' && h.team === 'sales')!.data as {
        account: { key: string; members: number; traits: { name?: string } | null };
        level: string;
        reasons: string[];
        leads: Array<{ userId: string | null; level: string }>;
      };
      expect(warm.account).toMatchObject({ key: 'domain:contoso.com', members: 2 });
      expect(warm.level).toBe('warm');
      expect(warm.reasons[0]).toBe('2 people researched reconciliation this week');
      expect(warm.leads.map((l) => l.level)).toEqual(['cold', 'cold']);
      expect(warm.leads.map((l) => l.userId).sort((a, b) => String(a).localeCompare(String(b)))).toEqual([
        null,
        expect.stringMatching(/^sub_/),
      ]);
      // Neither person alone is a lead worth a webhook.
      expect(hooks.filter((h) => !h.type.startsWith('account.'))).toEqual([]);
      // The controls team, which gets reconciliation, heard of the account too; the close team did not.
      expect(
        hooks
          .filter((h) => h.type === 'account.warm')
          .map((h) => h.team)
          .sort(),
      ).toEqual(['controls', 'sales']);
      await Promise.all([ada.context.close(), grace.context.close()]);
    } finally {
      await demo.close();
    }
  }, 120_000);
});
