// The dashboard in real Chromium, as a salesperson uses it: sign in with the link once, filter the list, watch a
// new lead arrive without reloading, open a lead's page by keyboard, and the accounts. A screenshot of each page is written to
// test-results/screenshots/ for a reviewer to look at.
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyEvent } from '@inkling/core';
import { API_KEY, batchOf, bounce, CHROME_UA, createTestReceiver, demoRequest, warmJourney, accountResearch } from '../../test/helpers.js';
import { checkChromium, launchChromium } from '../../../../scripts/lib/chromium.mjs';
import { listen } from '../adapters/node.js';
import type { Listening } from '../adapters/node.js';

const SCREENSHOTS = 'test-results/screenshots';

let browser: Browser;
let server: Listening;

beforeAll(async () => {
  checkChromium('the dashboard test');
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchChromium();
  server = await listen(createTestReceiver({ background: true }), { port: 0, host: '127.0.0.1' });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Sent the way the browser SDK sends: text/plain JSON. */
async function send(events: AnyEvent[]): Promise<void> {
  const now = Date.now();
  const response = await fetch(`${server.url}/collect`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': CHROME_UA },
    body: JSON.stringify(batchOf(events, now)),
  });
  expect(response.status).toBe(202);
}

/** Collects what the page's CSP refused: nothing should be. */
function watchCsp(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

describe('dashboard in Chromium', () => {
  it('signs in from a link, filters, updates live, and opens a lead page by keyboard', async () => {
    const now = Date.now();
    await send(warmJourney('v_researcher_01', now));
    await send([demoRequest('v_buyer_000001', now)]);
    await send(bounce('v_bouncer_00001', now));

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const violations = watchCsp(page);
    // Scoring runs off the request path: the list shows both leads once they are scored.
    await expect
      .poll(
        async () => {
          await page.goto(`${server.url}/dashboard?key=${API_KEY}`);
          return page.locator('li.lead').count();
        },
        { timeout: 15_000 },
      )
      .toBe(2);

    // The key left the address for an HttpOnly, SameSite=Strict cookie on the dashboard path.
    expect(page.url()).toBe(`${server.url}/dashboard`);
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: 'inkling_session', path: '/dashboard', httpOnly: true, sameSite: 'Strict' });
    expect(await page.locator('h1').innerText()).toBe('Hot and warm leads');
    expect(await page.locator('[data-count="hot"]').innerText()).toBe('1');
    expect(await page.locator('[data-count="warm"]').innerText()).toBe('1');
    expect(await page.locator('li.lead').first().getAttribute('data-level')).toBe('hot');
    // Styles apply under the CSP hash: the hot badge has its colour.
    expect(await page.locator('li.lead .level-hot').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(185, 28, 28)');
    await page.screenshot({ path: `${SCREENSHOTS}/leads-1280.png`, fullPage: true });

    // Filter: unticking Hot submits the form (the page's script) and leaves the warm lead.
    await page.getByLabel('Hot', { exact: true }).uncheck();
    await page.waitForURL(/level=warm/);
    expect(await page.locator('h1').innerText()).toBe('Warm leads');
    await expect.poll(() => page.locator('li.lead').count()).toBe(1);
    expect(await page.locator('li.lead .who').innerText()).toBe('Anonymous visitor');

    // Live: a second researcher turns warm, and the list shows them without a reload.
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
    await send(warmJourney('v_researcher_02', Date.now()));
    await expect.poll(() => page.locator('li.lead').count(), { timeout: 20_000, interval: 500 }).toBe(2);
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    expect(await page.locator('#live').innerText()).toMatch(/^Updated /);

    // Keyboard: Tab reaches the first lead's link, Enter opens its page.
    let onLead = false;
    for (let n = 0; n < 30 && !onLead; n++) {
      await page.keyboard.press('Tab');
      onLead = await page.evaluate(() => document.activeElement?.classList.contains('who') ?? false);
    }
    expect(onLead).toBe(true);
    const id = await page.evaluate(() => document.activeElement!.closest('li')!.getAttribute('data-lead-id'));
    await page.keyboard.press('Enter');
    await page.waitForURL(`${server.url}/dashboard/leads/${id}`);

    // The lead page: the chart with its bands and the events that moved it, a bar per reason, the same id.
    expect(await page.locator('code.lead-id').innerText()).toBe(id);
    expect(await page.locator('svg.chart rect.band').count()).toBe(3);
    expect(await page.locator('svg.chart circle.move').count()).toBeGreaterThanOrEqual(5);
    expect(await page.locator('svg.chart').boundingBox()).toMatchObject({ width: expect.any(Number) as number });
    expect(await page.locator('svg.chart .band-warm').evaluate((el) => getComputedStyle(el).fill)).toBe('rgb(217, 119, 6)');
    const reasons = await page.locator('.contributions .reason').allInnerTexts();
    expect(reasons).toContain('viewed pricing twice');
    expect(await page.locator('.contributions rect.pos').count()).toBe(reasons.length);
    expect(await page.locator('.timeline li').count()).toBe(10);
    await page.screenshot({ path: `${SCREENSHOTS}/lead-1280.png`, fullPage: true });

    // On a phone: one column, nothing wider than the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${SCREENSHOTS}/lead-phone.png`, fullPage: true });
    await page.goto(`${server.url}/dashboard`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${SCREENSHOTS}/leads-phone.png`, fullPage: true });

    // Log out: the cookie is gone and the list asks for the key.
    await page.getByRole('link', { name: 'Log out' }).click();
    await page.waitForURL(`${server.url}/dashboard`);
    expect(await page.locator('input#key').count()).toBe(1);
    expect(await context.cookies()).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}/sign-in.png` });

    expect(violations).toEqual([]);
    await context.close();
  }, 90_000);

  it('lists accounts, opens one from the header, and goes from a member to its lead page', async () => {
    const now = Date.now();
    await send([
      ...accountResearch('v_acct_ada_0001', now, 'acct_northwind', { name: 'Northwind Traders', plan: 'team' }),
      ...accountResearch('v_acct_grace_01', now, 'acct_northwind'),
      ...accountResearch('v_acct_linus_01', now, 'acct_northwind'),
    ]);
    await send(accountResearch('v_acct_solo_001', now, 'acct_contoso', { name: 'Contoso' }));

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const violations = watchCsp(page);
    await page.goto(`${server.url}/dashboard?key=${API_KEY}`);
    await page.getByRole('link', { name: 'Accounts' }).click();
    await page.waitForURL(`${server.url}/dashboard/accounts`);
    await expect
      .poll(
        async () => {
          await page.reload();
          return page.locator('li.account').count();
        },
        { timeout: 15_000 },
      )
      .toBe(1);
    expect(await page.locator('h1').innerText()).toBe('Hot and warm accounts');
    const row = page.locator('li.account').first();
    expect(await row.locator('.who').innerText()).toBe('Northwind Traders');
    expect(await row.locator('.people').innerText()).toContain('3 members');
    expect(await row.locator('.topic').allInnerTexts()).toEqual(['reconciliation']);
    expect(await row.locator('.reasons p').innerText()).toContain('3 people researched reconciliation this week');
    const level = (await row.getAttribute('data-level'))!;
    expect(['warm', 'hot']).toContain(level);
    expect(await row.locator(`.level-${level}`).evaluate((el) => getComputedStyle(el).backgroundColor)).toMatch(/^rgb\(/);
    await page.screenshot({ path: `${SCREENSHOTS}/accounts-1280.png`, fullPage: true });

    // The cold one-person account is a tick away.
    await page.getByLabel('Cold', { exact: true }).check();
    await page.waitForURL(/level=cold/);
    await expect.poll(() => page.locator('li.account').count()).toBe(2);

    await page.locator('li.account .who', { hasText: 'Northwind Traders' }).click();
    await page.waitForURL(/\/dashboard\/accounts\/[^/?]+$/);
    expect(await page.locator('h1').innerText()).toBe('Northwind Traders');
    expect(await page.locator('li.member').count()).toBe(3);
    expect(await page.locator('.why .reason').first().innerText()).toBe('3 people researched reconciliation this week');
    expect(await page.locator('.timeline li.joined').count()).toBe(3);
    await page.screenshot({ path: `${SCREENSHOTS}/account-1280.png`, fullPage: true });

    // On a phone: one column, nothing wider than the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${SCREENSHOTS}/account-phone.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });

    // A member opens its lead page, which names the account and links back.
    const lead = (await page.locator('li.member').first().getAttribute('data-lead-id'))!;
    await page.locator('li.member .who').first().click();
    await page.waitForURL(`${server.url}/dashboard/leads/${lead}`);
    expect(await page.locator('a.account').innerText()).toBe('acct_northwind');
    await page.locator('a.account').click();
    await page.waitForURL(/\/dashboard\/accounts\/[^/?]+$/);
    expect(await page.locator('h1').innerText()).toBe('Northwind Traders');

    await page.goto(`${server.url}/dashboard/accounts`);
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${SCREENSHOTS}/accounts-phone.png`, fullPage: true });

    expect(violations).toEqual([]);
    await context.close();
  }, 90_000);
});
