// calibrate --from-store on a generated store where buyers read the docs only after buying: with each lead cut off
// at its own outcome, the docs carry no weight; cut off at one time for everyone, they would give the answer away.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'inkling-outcomes-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('calibrate --from-store on a generated store', () => {
  it('gives no weight to what buyers did after buying, and finds what predicted it', { timeout: 120_000 }, () => {
    const db = join(dir, 'demo.db');
    expect(execFileSync(process.execPath, ['scripts/outcomes-store.mjs', db, '400'], { encoding: 'utf8' })).toMatch(
      /^Wrote .*demo\.db: 400 leads, \d+ bought\.\n$/,
    );
    const output = join(dir, 'model.json');
    const stdout = execFileSync(
      process.execPath,
      ['packages/receiver/bin/inkling.js', 'calibrate', '--from-store', '--db', db, '--open-leads', 'skip', '--output', output],
      { encoding: 'utf8' },
    );
    expect(stdout).toMatch(/^From the store: \d+ leads with an outcome/);
    const model = JSON.parse(readFileSync(output, 'utf8')) as { weights: Record<string, number>; calibration: { fitted: { auc: number } } };
    expect(model.weights['docs_views'] ?? 0).toBe(0);
    expect(model.weights['pricing_views']).toBeGreaterThan(0);
    // Honest: well above chance, far from the 1.000 that post-purchase docs views give a single cut-off.
    expect(model.calibration.fitted.auc).toBeGreaterThan(0.6);
    expect(model.calibration.fitted.auc).toBeLessThan(0.9);
  });
});
