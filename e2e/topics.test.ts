// Page topics from JSON-LD in real Chromium, through the built script tag: an `@graph` as a CMS writes it, a
// malformed script beside it, and the meta tags taking precedence when a page has both.
import type { AnyEvent } from '@inkling/core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './chromium.js';
import { page as html, startCollector, startSite } from './collector.js';
import type { Collector, Site } from './collector.js';

let browser: Browser;
let collector: Collector;
let site: Site;

const ld = (data: unknown) => `<script type="application/ld+json">${typeof data == 'string' ? data : JSON.stringify(data)}</script>`;
const graph = ld({
  '@context': 'https://schema.org',
  '@graph': [
    { '@type': 'WebSite', name: 'Acme' },
    {
      '@type': 'BlogPosting',
      articleSection: 'Reconciliation',
      keywords: 'Month-End Close, ann@example.com',
      about: [{ '@type': 'Thing', name: 'Audit' }],
    },
  ],
});

beforeAll(async () => {
  collector = await startCollector();
  const endpoint = `${collector.url}/collect`;
  site = await startSite({
    '/blog/json-ld': html(endpoint, '<article><h1>Close faster</h1></article>', { head: ld('{"keywords": "broken"') + graph }),
    '/blog/both': html(endpoint, '<article><h1>Close faster</h1></article>', {
      head: '<meta property="article:tag" content="Payroll">' + graph,
    }),
  });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await Promise.all([collector?.close(), site?.close()]);
});

async function visit(path: string): Promise<{ view: AnyEvent; dropped: Record<string, number>; page: Page }> {
  await collector.reset();
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${site.url}${path}`);
  await page.waitForFunction(() => typeof (window as unknown as { inkling?: unknown }).inkling === 'function');
  const dropped = await page.evaluate(
    () => (window as unknown as { inkling(c: string): { dropped: Record<string, number> } }).inkling('getStats').dropped,
  );
  await page.evaluate(() => (window as unknown as { inkling(c: string): Promise<void> }).inkling('flush'));
  await collector.waitForEvents(1);
  return { view: collector.events().find((e) => e.type === 'page_view')!, dropped, page };
}

describe('topics from JSON-LD', () => {
  it('reads an @graph, leaving out a private keyword and counting the malformed script', async () => {
    const { view, dropped, page } = await visit('/blog/json-ld');
    expect((view.props as { topics?: string[] }).topics).toEqual(['reconciliation', 'month-end close', 'audit']);
    expect(dropped).toEqual({ 'topic-private': 1, 'topic-json-ld': 1 });
    expect(JSON.stringify(collector.events())).not.toContain('ann@example.com');
    await page.context().close();
  });

  it('prefers the article:tag meta when a page has both', async () => {
    const { view, page } = await visit('/blog/both');
    expect((view.props as { topics?: string[] }).topics).toEqual(['payroll']);
    await page.context().close();
  });
});
