import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/main.js';
import { generateVisitors, toCsv } from '../../test/calibrate/generate.js';

const dir = mkdtempSync(join(tmpdir(), 'inkling-html-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('calibrate --report', () => {
  let html = '';
  let stdout = '';

  beforeAll(async () => {
    const visitors = join(dir, 'visitors.csv');
    writeFileSync(visitors, toCsv(generateVisitors({ rows: 2000, seed: 11 })));
    const report = join(dir, 'report.html');
    let stderr = '';
    const code = await runCli(['calibrate', '--input', visitors, '--report', report, '--folds', '4'], {
      stdout: (s) => (stdout += s),
      stderr: (s) => (stderr += s),
      env: {},
    });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain(`Wrote ${report} (the report with its charts, a self-contained page).`);
    html = readFileSync(report, 'utf8');
  }, 60_000);

  it('is self-contained: no script, no stylesheet link, no http(s) address in any src or href, and a CSP that fetches nothing', () => {
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    const css = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    const hash = createHash('sha256').update(css).digest('base64');
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-${hash}'">`);
    // Inline style attributes would need 'unsafe-inline': the charts use SVG presentation attributes only.
    expect(html).not.toMatch(/\sstyle=/);
  });

  it('draws ROC, precision-recall and reliability curves and lift bars for both models', () => {
    for (const curve of ['roc', 'pr', 'reliability']) {
      for (const model of ['fitted', 'default'])
        expect(html).toMatch(
          new RegExp(`<polyline data-curve="${curve}" data-model="${model}"[^>]* points="(\\d+\\.\\d,\\d+\\.\\d ?){2,}"`),
        );
    }
    for (const model of ['fitted', 'default'])
      expect(html.match(new RegExp(`data-chart="lift" data-model="${model}"`, 'g'))).toHaveLength(10);
  });

  it('prints the same ranking and level numbers as the text report', () => {
    for (const name of ['fitted model', 'default model']) {
      const [, auc, ap] = new RegExp(`${name} +(\\d\\.\\d{3} ± \\d\\.\\d{3}) +(\\d\\.\\d{3} ± \\d\\.\\d{3})`).exec(stdout)!;
      expect(html).toContain(`<td>${name}</td><td>${auc}</td><td>${ap}</td>`);
      const [, flagged, precision, recall] = new RegExp(`${name} +warm +(\\d+\\.\\d%) +(\\d\\.\\d{3}) +\\S+ +(\\d\\.\\d{3})`).exec(stdout)!;
      expect(html).toContain(`<td>${name}</td><td>warm</td><td>${flagged}</td><td>${precision}</td><td>${recall}</td>`);
    }
  });

  it('puts the top decile of the fitted model well above the average, and above the bottom decile', () => {
    const lift = (decile: number) => Number(new RegExp(`data-model="fitted" data-decile="${decile}" data-lift="([\\d.]+)"`).exec(html)![1]);
    expect(lift(1)).toBeGreaterThan(2);
    expect(lift(1)).toBeGreaterThan(lift(10));
  });
});
