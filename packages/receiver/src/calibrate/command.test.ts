import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProfile, parseModel, scoreProfile } from '@inkling/core';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/main.js';
import { createRandom } from './folds.js';
import { generateVisitors, toCsv } from '../../test/calibrate/generate.js';

const dir = mkdtempSync(join(tmpdir(), 'inkling-calibrate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const visitors = join(dir, 'visitors.csv');
writeFileSync(visitors, toCsv(generateVisitors({ rows: 3000, seed: 4 })));

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['calibrate', ...args], { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env: {} });
  return { code, stdout, stderr };
}

describe('inkling calibrate', () => {
  // The first run also loads the calibration tool, and fits 3,000 rows four times: seconds on a busy machine.
  it('prints the report and writes a model the browser and the receiver accept', { timeout: 30_000 }, async () => {
    const output = join(dir, 'model.json');
    const { code, stdout, stderr } = await run('--input', visitors, '--output', output, '--folds=4', '--seed', '9', '--version', 'acme-1');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('3000 visitors');
    expect(stdout).toContain('4-fold cross-validation (stratified, seed 9), L2 penalty 1.');
    expect(stdout).toMatch(/fitted model +0\.\d{3} ± 0\.\d{3} +0\.\d{3} ± 0\.\d{3}/);
    expect(stdout).toMatch(/default model +0\.\d{3} ± 0\.\d{3}/);
    expect(stdout).toMatch(/docs_views +\+0\.\d{3} +\+\d\.\d{4}/);
    expect(stdout).toContain(`Wrote ${output} (logistic model, version acme-1).`);
    const model = parseModel(JSON.parse(readFileSync(output, 'utf8')));
    expect(model.version).toBe('acme-1');
    expect(scoreProfile(createProfile(), model, Date.now()).model).toBe('acme-1');
  });

  it('warns when the file has a conversions column, which may give the label away', async () => {
    const leaky = join(dir, 'leaky.csv');
    const rows = Array.from({ length: 40 }, (_, i) => `${i % 4 === 0},${i % 4 === 0 ? 1 : 0},${i % 7}`);
    writeFileSync(leaky, ['converted,conversions,docs_views', ...rows].join('\n'));
    const { code, stdout } = await run('--input', leaky, '--folds', '3');
    expect(code).toBe(0);
    expect(stdout).toContain('Note: the file has a conversions column.');
    expect((await run('--input', visitors)).stdout).not.toContain('conversions column');
  });

  it('chooses warm by --warm-share and hot by --hot-precision, and reports the lift of each level', { timeout: 30_000 }, async () => {
    const { code, stdout } = await run('--input', visitors, '--warm-share', '0.1', '--hot-precision', '0.5');
    expect(code).toBe(0);
    expect(stdout).toContain('fitted: warm is the top 10.0% of visitors (--warm-share), hot the largest group above it converting at');
    expect(stdout).toContain('0.500 or better (--hot-precision)');
    const warm = /fitted model +warm +([\d.]+)% +(0\.\d{3}) +([\d.]+)x/.exec(stdout);
    expect(warm, stdout).not.toBeNull();
    expect(Number(warm![1])).toBeLessThanOrEqual(10);
    // lift = precision / conversion rate.
    const rate = Number(/converted \(([\d.]+)%\)/.exec(stdout)![1]) / 100;
    expect(Number(warm![3])).toBeCloseTo(Number(warm![2]) / rate, 1);
    const hot = /^ +hot +[\d.]+% +(0\.\d{3}) +[\d.]+x/m.exec(stdout);
    expect(Number(hot![1])).toBeGreaterThanOrEqual(0.5);
  });

  it('leaves out a column that is a linear combination of others, says so, and warns loudly on stderr when the fit does not beat the default', async () => {
    const file = join(dir, 'collinear.csv');
    // Pricing decides (the default weighs it); 60 rows and noise columns make the fit lose to the default.
    const noise = createRandom(11);
    const rows = Array.from({ length: 60 }, (_, i) => {
      const cells = [i % 3, ...Array.from({ length: 4 }, () => Math.floor(noise() * 9))];
      return `${noise() < 0.1 + 0.3 * (i % 3)},${cells.join(',')},${cells[1]! + 1}`;
    });
    writeFileSync(
      file,
      ['converted,pricing_views,article_views,article_minutes,visits,days_since_last_seen,days_active', ...rows].join('\n'),
    );
    const { code, stdout, stderr } = await run('--input', file, '--folds', '3');
    expect(code).toBe(0);
    expect(stdout).toContain(
      'Left out days_active: it equals article_views + 1 on every row; fitted together, their weights would swing against each other.',
    );
    expect(stdout).not.toMatch(/^ +days_active /m);
    expect(stdout).toMatch(/^WARNING: The fitted model does not beat the default held-out/);
    expect(stderr).toMatch(
      /^inkling calibrate: warning: The fitted model does not beat the default held-out \(ROC-AUC 0\.\d{3} against 0\.\d{3}\)/,
    );
  });

  it('exits 1 with the reason when the only feature is constant', async () => {
    const file = join(dir, 'constant.csv');
    writeFileSync(file, ['converted,visits', ...Array.from({ length: 40 }, (_, i) => `${i % 4 === 0},1`)].join('\n'));
    expect(await run('--input', file)).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'inkling calibrate: every feature column is constant (visits is 1 on every row): there is nothing to learn from; add columns that vary between visitors\n',
    });
  });

  it('writes nothing without --output, and says so', async () => {
    const before = readdirSync(dir).sort();
    const { code, stdout } = await run('--input', visitors, '--version', 'dry-run');
    expect(code).toBe(0);
    expect(stdout).toContain('No model file written: add --output model.json to write one.');
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  it('prints usage for --help', async () => {
    const { code, stdout } = await run('--help');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: inkling calibrate --input visitors.csv/);
    for (const flag of [
      '--input <file>',
      '--output <file>',
      '--folds <n>',
      '--seed <n>',
      '--l2 <number>',
      '--version <name>',
      '--half-life <days>',
    ])
      expect(stdout).toContain(flag);
  });

  it('exits 2 naming a bad command line, like every other command', async () => {
    expect(await run()).toMatchObject({
      code: 2,
      stderr: '--input: expected the visitors CSV, e.g. --input visitors.csv, or --from-store to fit on the outcomes in the store\n',
    });
    expect(await run('--input', visitors, '--folds', '1')).toMatchObject({
      code: 2,
      stderr: '--folds: expected a whole number from 2 to 20, got "1"\n',
    });
    expect(await run('--input', visitors, '--l2', '0')).toMatchObject({ code: 2, stderr: '--l2: expected a number > 0, got "0"\n' });
    expect(await run('--input', visitors, '--half-life', 'month')).toMatchObject({
      code: 2,
      stderr: '--half-life: expected a number of days > 0, got "month"\n',
    });
    expect(await run('--input', visitors, '--warm-share', '20%')).toMatchObject({
      code: 2,
      stderr: '--warm-share: expected a fraction between 0 and 1 such as 0.2, got "20%"\n',
    });
    expect(await run('--input', visitors, '--hot-precision', '1')).toMatchObject({
      code: 2,
      stderr: '--hot-precision: expected a fraction between 0 and 1 such as 0.2, got "1"\n',
    });
    expect(await run('--input', visitors, '--fold', '3')).toMatchObject({
      code: 2,
      stderr: "inkling calibrate: Unknown option '--fold'; see inkling calibrate --help\n",
    });
    expect((await run('--input')).code).toBe(2);
    expect((await run('--input')).stderr).toMatch(/^inkling calibrate: Option '--input <value>' argument missing/);
  });

  it('exits 1 naming the row and column of a bad file', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'converted,pricing_views\r\ntrue,1\r\nfalse,x\r\n');
    expect(await run('--input', bad)).toEqual({
      code: 1,
      stdout: '',
      stderr: 'inkling calibrate: row 3, column pricing_views: expected a number >= 0, got "x"\n',
    });
  });

  it('exits 1 naming the flag when the model cannot be written', async () => {
    const { code, stderr } = await run('--input', visitors, '--output', join(dir, 'no-such-dir', 'model.json'));
    expect(code).toBe(1);
    expect(stderr).toMatch(/^inkling calibrate: --output: cannot write .*no-such-dir\/model\.json: ENOENT/);
  });

  it('exits 1 when the input cannot be read', async () => {
    const missing = join(dir, 'missing.csv');
    expect(await run('--input', missing)).toMatchObject({
      code: 1,
      stderr: `inkling calibrate: --input: cannot read ${missing}: no such file\n`,
    });
  });
});
