// Calibration from the store: each lead's features from the events before its own outcome, the model written with
// its report's summary, loaded by a receiver and shown on its model page.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnyEvent } from '@inkling/core';
import { DEFAULT_MODEL, parseModel } from '@inkling/core';
import { afterAll, describe, expect, it } from 'vitest';
import { API_KEY, DAY_MS, SITE, createTestReceiver, eventAt } from '../../test/helpers.js';
import { runCli } from '../cli/main.js';
import { openSqliteStore } from '../store/open.js';
import type { Store } from '../store/types.js';
import { createRandom } from './folds.js';
import { readStoreDataset } from './from-store.js';

// The last midday UTC: the model counts ages in whole UTC days, so events hours apart fall on the same days
// whatever the hour the suite runs, and all of them are in the past for the parts that read the real clock.
const NOW = Math.floor((Date.now() - DAY_MS / 2) / DAY_MS) * DAY_MS + DAY_MS / 2;
const HOUR_MS = 3_600_000;
const dir = mkdtempSync(join(tmpdir(), 'inkling-from-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pricing = { path: '/pricing', kind: 'pricing', title: 'Pricing' };
const home = { path: '/', kind: 'other', title: 'Home' };

async function insert(store: Store, events: AnyEvent[]): Promise<void> {
  await store.insertEvents({
    site: SITE,
    sentAt: new Date(NOW).toISOString(),
    receivedAt: NOW,
    bot: false,
    events: events.map((event) => ({ event, ts: Date.parse(event.ts), clamped: false })),
  });
}

async function leadOf(store: Store, userId: string): Promise<string> {
  const [lead] = await store.findLeadsByUser(userId);
  return lead!.id;
}

describe('calibrate from the store', () => {
  it("uses only the events before each lead's own outcome, and counts open leads as not converted as of --as-of", async () => {
    const store = await openSqliteStore({ filename: ':memory:' });
    const outcomeAt = NOW - 10 * DAY_MS;
    // Two pricing views before the outcome, five after it: the five must not count.
    const before = [1, 2].map((h) => eventAt('page_view', 'v_won_000001', outcomeAt, h * HOUR_MS, { page: pricing }));
    const after = [1, 2, 3, 4, 5].map((h) => eventAt('page_view', 'v_won_000001', outcomeAt, -h * HOUR_MS, { page: pricing }));
    await insert(store, [eventAt('identify', 'v_won_000001', outcomeAt, 3 * HOUR_MS, { props: { userId: 'won' } }), ...before, ...after]);
    // A lead whose only events come after its outcome is left out; an open lead first seen after --as-of too.
    await insert(store, [eventAt('identify', 'v_late_00001', NOW, HOUR_MS, { props: { userId: 'late' } })]);
    await insert(store, [
      eventAt('page_view', 'v_open_00001', NOW, 20 * DAY_MS, { page: home }),
      eventAt('page_view', 'v_open_00001', NOW, HOUR_MS, { page: pricing }),
    ]);
    await insert(store, [eventAt('page_view', 'v_new_000001', NOW, HOUR_MS, { page: pricing })]);
    await store.recordOutcome({ leadId: await leadOf(store, 'won'), outcome: 'converted', at: outcomeAt, source: 'api', recordedAt: NOW });
    await store.recordOutcome({ leadId: await leadOf(store, 'late'), outcome: 'lost', at: NOW - DAY_MS, source: 'api', recordedAt: NOW });

    const { dataset, summary } = await readStoreDataset(store, DEFAULT_MODEL, { asOfMs: NOW - 15 * DAY_MS });
    expect(summary).toEqual({ converted: 1, lost: 0, open: 1, skipped: 2, asOfMs: NOW - 15 * DAY_MS });
    const pricingColumn = dataset.features.indexOf('pricing_views');
    const rows = dataset.y.map((y, i) => ({ y, pricing: dataset.x[i]![pricingColumn]! }));
    // The converted lead: its two views, barely decayed; the open lead: nothing before --as-of but its home page.
    expect(rows.find((r) => r.y === 1)?.pricing).toBeCloseTo(2, 2);
    expect(rows.find((r) => r.y === 0)?.pricing).toBe(0);
    // Leaving open leads out keeps only the leads with an outcome.
    const closed = await readStoreDataset(store, DEFAULT_MODEL, { asOfMs: NOW - 15 * DAY_MS, openLeads: 'skip' });
    expect(closed.summary).toMatchObject({ converted: 1, open: 0 });
    expect(closed.dataset.y).toEqual([1]);
    await store.close();
  });

  it('exits 2 naming a store flag given without --from-store, or a bad --open-leads', async () => {
    const run = async (...args: string[]) => {
      let stderr = '';
      const code = await runCli(['calibrate', ...args], { stdout: () => undefined, stderr: (s) => (stderr += s), env: {} });
      return { code, stderr };
    };
    expect(await run('--input', 'visitors.csv', '--as-of', '30d')).toEqual({
      code: 2,
      stderr: '--as-of: only used with --from-store; add --from-store or leave it out\n',
    });
    expect(await run('--input', 'visitors.csv', '--from-store')).toEqual({
      code: 2,
      stderr: '--from-store: give either --input visitors.csv or --from-store, not both\n',
    });
    expect(await run('--from-store', '--open-leads', 'maybe')).toEqual({
      code: 2,
      stderr: '--open-leads: expected lost or skip, got "maybe"\n',
    });
  });

  it('refuses a store without a converted lead, saying how to record outcomes', async () => {
    const store = await openSqliteStore({ filename: ':memory:' });
    await insert(store, [eventAt('page_view', 'v_open_00001', NOW, HOUR_MS, { page: home })]);
    await expect(readStoreDataset(store, DEFAULT_MODEL, { asOfMs: NOW })).rejects.toThrow(
      'the store has no converted lead with an event before its outcome; record outcomes with POST /leads/:id/outcome or inkling outcomes import',
    );
    await store.close();
  });

  it(
    'fits on the outcomes, writes a model the receiver loads, and shows its version and report on /dashboard/model',
    { timeout: 60_000 },
    async () => {
      const db = join(dir, 'inkling.db');
      const store = await openSqliteStore({ filename: db });
      const random = createRandom(7);
      // 300 leads: the more pricing pages one views, the likelier one converts, some time after the last view.
      for (let i = 0; i < 300; i++) {
        const visitor = `v_lead_${String(i).padStart(6, '0')}`;
        const views = Math.floor(random() * 6);
        const start = NOW - 40 * DAY_MS + i * HOUR_MS;
        const events = [
          eventAt('identify', visitor, start, 0, { props: { userId: `user-${i}` } }),
          eventAt('page_view', visitor, start, -60_000, { page: home }),
        ];
        for (let v = 0; v < views; v++) events.push(eventAt('page_view', visitor, start, -(v + 2) * 60_000, { page: pricing }));
        await insert(store, events);
        const converted = random() < 0.1 + 0.15 * views;
        if (converted || random() < 0.5) {
          await store.recordOutcome({
            leadId: await leadOf(store, `user-${i}`),
            outcome: converted ? 'converted' : 'lost',
            at: start + DAY_MS,
            source: 'import',
            recordedAt: NOW,
          });
        }
      }
      await store.close();

      const output = join(dir, 'model.json');
      const report = join(dir, 'report.html');
      let stdout = '';
      let stderr = '';
      const code = await runCli(
        ['calibrate', '--from-store', '--db', db, '--output', output, '--report', report, '--version', 'acme-outcomes-1', '--folds', '3'],
        {
          stdout: (s) => (stdout += s),
          stderr: (s) => (stderr += s),
          env: {},
        },
      );
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(stdout).toMatch(/^From the store: \d+ leads with an outcome \(\d+ converted, \d+ lost\), \d+ without one/);
      expect(stdout).toContain('Calibrated on the store: 300 visitors');
      const file = JSON.parse(readFileSync(output, 'utf8')) as {
        version: string;
        calibration: { fitted: { auc: number }; source: string };
      };
      expect(parseModel(file).version).toBe('acme-outcomes-1');
      expect(file.calibration.source).toBe('the store');
      // The fitted AUC in the file is the one the text report printed.
      expect(stdout).toMatch(new RegExp(`fitted model +${file.calibration.fitted.auc.toFixed(3)} ±`));
      expect(file.calibration.fitted.auc).toBeGreaterThan(0.6);

      const receiver = createTestReceiver({ model: file });
      try {
        const page = await receiver.fetch(
          new Request('http://receiver.test/dashboard/model', { headers: { authorization: `Bearer ${API_KEY}` } }),
        );
        expect(page.status).toBe(200);
        const html = await page.text();
        expect(html).toContain('<td data-field="version">acme-outcomes-1</td>');
        expect(html).toContain(`<td>fitted model</td><td>${file.calibration.fitted.auc.toFixed(3)}</td>`);
        expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'sha256-/);
        expect((await receiver.fetch(new Request('http://receiver.test/dashboard/model'))).status).toBe(401);
      } finally {
        await receiver.close();
      }
      expect(readFileSync(report, 'utf8')).toContain('<svg');
    },
  );
});
