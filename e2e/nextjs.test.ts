// The React + Next.js recipe (examples/nextjs) as a user runs it: its own dependencies installed from its own
// lockfile, with @inkling/browser from this repository's build; `next build`, then `next start`, in real
// Chromium. Server rendering uses the tracker that does nothing; the browser's tracker sends real events, and
// the useIntent() hook renders the intent they add up to.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { validateBatch } from '@inkling/core';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium } from './chromium.js';
import { startCollector } from './collector.js';
import type { Collector } from './collector.js';

const APP = 'examples/nextjs';
const NEXT = ['node_modules/next/dist/bin/next'];
// A 2-core machine shared with other builds: installing takes about a minute and a half, `next build` a few.
const SETUP_MS = 15 * 60_000;

let collector: Collector;
let server: ChildProcess | undefined;
let serverLog = '';
let buildLog = '';
let url = '';

/** Runs a command to its end; rejects with its output and `fix` when it fails. */
function run(command: string, args: string[], options: { cwd?: string; env: NodeJS.ProcessEnv; fix: string }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.on('error', (error) => reject(new Error(`${command} ${args.join(' ')} could not start (${error.message}). ${options.fix}`)));
    child.on('close', (code) =>
      code === 0
        ? resolve(output)
        : reject(new Error(`${command} ${args.join(' ')} exited ${code}. ${options.fix}\n${output.slice(-4000)}`)),
    );
  });
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });

async function waitForServer(until: number): Promise<void> {
  for (;;) {
    try {
      if ((await fetch(`${url}/`)).ok) return;
    } catch {}
    if (server?.exitCode != null || Date.now() > until) throw new Error(`next start did not answer at ${url}:\n${serverLog.slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  collector = await startCollector();
  // No telemetry, and the collector's address written into the client bundle.
  const env = {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: '1',
    NEXT_PUBLIC_INKLING_ENDPOINT: `${collector.url}/collect`,
    NEXT_PUBLIC_INKLING_DEBUG: '1',
  };
  await run('npm', ['ci', '--prefix', APP, '--no-audit', '--no-fund'], {
    env,
    fix: `The Next.js example installs its own dependencies from ${APP}/package-lock.json: this needs the npm registry (or npm's cache holding them), and packages/browser/dist built by npm run build first.`,
  });
  buildLog = await run(process.execPath, [...NEXT, 'build'], {
    cwd: APP,
    env,
    fix: 'next build failed: the recipe no longer builds against the current @inkling/browser.',
  });
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, [...NEXT, 'start', '-H', '127.0.0.1', '-p', String(port)], {
    cwd: APP,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  server.stdout!.on('data', (chunk: Buffer) => (serverLog += chunk));
  server.stderr!.on('data', (chunk: Buffer) => (serverLog += chunk));
  await waitForServer(Date.now() + 60_000);
}, SETUP_MS);

afterAll(async () => {
  // next start may run its server in a child process: end the whole group this test started.
  if (server?.pid && server.exitCode == null) process.kill(-server.pid, 'SIGTERM');
  await collector?.close();
});

it('renders on the server with the tracker that does nothing, saying so once with debug', async () => {
  // The build rendered the static home page on the server; the pricing page is rendered on every request.
  expect(buildLog).toMatch(/\[inkling\] no window here/);
  const home = await fetch(`${url}/`);
  expect(home.status).toBe(200);
  const html = await home.text();
  expect(html).toContain('Reading your intent…');
  expect(html).toMatch(/<span id="intent-badge">…<\/span>/);
  for (let i = 0; i < 2; i++) {
    const pricing = await fetch(`${url}/pricing`);
    expect(pricing.status).toBe(200);
    expect(await pricing.text()).toContain('Request a demo');
  }
  expect(serverLog.match(/\[inkling\] no window here/g)).toHaveLength(1);
  expect(serverLog).not.toMatch(/⨯|Error/);
  // Nothing was sent from the server.
  expect(collector.requests).toEqual([]);
});

it('shows the intent real events add up to, through useIntent(), and delivers the events', async () => {
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    // A failed request is reported below with its address; the example has no favicon.
    page.on(
      'console',
      (message) => message.type() === 'error' && !message.text().startsWith('Failed to load resource') && errors.push(message.text()),
    );
    page.on(
      'response',
      (response) =>
        response.status() >= 400 && !response.url().endsWith('/favicon.ico') && errors.push(`${response.status()} ${response.url()}`),
    );
    await page.goto(`${url}/`);
    // Hydrated: the hook read the browser's tracker.
    await page.waitForSelector('#intent[data-level="cold"]');
    expect(await page.textContent('#intent-badge')).toBe('cold');
    // A client-side navigation (a page view by pushState), then a conversion: hot, rendered by the hook.
    await page.click('#pricing');
    await page.click('#demo');
    await page.waitForFunction(() => document.querySelector('#intent-badge')?.textContent === 'hot');
    // The panel unmounted on the way to pricing; mounted again, it reads the intent as it is now.
    await page.click('text=Home');
    await page.waitForSelector('#intent[data-level="hot"]');
    expect(await page.textContent('#intent')).toContain('requested a demo');
    // A new page load: the intent is restored from the browser's storage.
    await page.reload();
    await page.waitForFunction(() => document.querySelector('#intent-badge')?.textContent === 'hot');
    await page.close();
    expect(errors).toEqual([]);
    await collector.waitForEvents(1);
    await collector.settle(500);
    const batches = collector.requests.filter((r) => r.batch).map((r) => r.batch!);
    expect(batches.every((batch) => validateBatch(batch).ok && batch.site === 'nextjs-example')).toBe(true);
    const events = [...new Map(collector.events().map((e) => [e.id, e])).values()];
    expect(events.filter((e) => e.type === 'page_view').map((e) => [e.page.path, e.page.kind])).toEqual([
      ['/', 'other'],
      ['/pricing', 'pricing'],
      ['/', 'other'],
      ['/', 'other'],
    ]);
    expect(events.find((e) => e.type === 'track')?.props).toEqual({ name: 'demo_request', plan: 'team' });
    expect(events.find((e) => e.type === 'intent')?.props).toMatchObject({ level: 'hot', previous: 'cold' });
  } finally {
    await browser?.close();
  }
}, 120_000);
