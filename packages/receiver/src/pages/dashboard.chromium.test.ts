// The dashboard in real Chromium: a visitor researches on the demo site, and the dashboard shows them warm.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, batchOf, CHROME_UA, createTestReceiver, warmJourney } from '../../test/helpers.js';
import { checkChromium, launchChromium } from '../../../../scripts/lib/chromium.mjs';
import { listen } from '../adapters/node.js';
import type { Listening } from '../adapters/node.js';

let browser: Browser;
let server: Listening;

beforeAll(async () => {
  checkChromium('the dashboard test');
  browser = await launchChromium();
  server = await listen(createTestReceiver({ background: true }), { port: 0, host: '127.0.0.1' });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('dashboard in Chromium', () => {
  it('shows a visitor who read three articles, viewed pricing twice and came back within a week as warm, with reasons', async () => {
    const now = Date.now();
    // Sent the way the browser SDK sends: text/plain JSON, one batch per visit.
    const journey = warmJourney('v_researcher_01', now);
    for (const events of [journey.slice(0, 7), journey.slice(7)]) {
      const response = await fetch(`${server.url}/collect`, { method: 'POST', headers: { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': CHROME_UA }, body: JSON.stringify(batchOf(events, now)) });
      expect(response.status).toBe(202);
    }

    const page = await browser.newPage();
    // Scoring runs off the request path; the dashboard shows the lead once it has been scored.
    await expect.poll(async () => {
      await page.goto(`${server.url}/dashboard?key=${API_KEY}`);
      return page.locator('article.lead').count();
    }, { timeout: 10_000 }).toBe(1);

    const lead = page.locator('article.lead');
    expect(await lead.getAttribute('data-level')).toBe('warm');
    expect(await lead.locator('.level').innerText()).toMatch(/warm/i);
    expect(Number(await lead.locator('.score').innerText())).toBeGreaterThanOrEqual(50);
    const reasons = await lead.locator('.reasons li').allInnerTexts();
    expect(reasons.some((r) => /^read 3 articles \(\d+ min\)$/.test(r))).toBe(true);
    expect(reasons).toContain('viewed pricing twice');
    expect(reasons).toContain('2nd visit this week');
    expect(await lead.locator('.who').innerText()).toBe('Anonymous visitor v_researcher_01');

    await lead.locator('summary').click();
    const timeline = await lead.locator('.timeline li').allInnerTexts();
    expect(timeline).toHaveLength(10);
    expect(timeline.filter((t) => t.includes('Read an article'))).toHaveLength(3);
    expect(timeline.filter((t) => t.includes('Viewed a pricing page'))).toHaveLength(2);

    // The inline style is allowed by the page's CSP hash: the warm badge has its colour.
    expect(await lead.locator('.level').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(217, 119, 6)');
    await page.close();
  }, 60_000);
});
