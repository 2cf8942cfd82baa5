// Size budgets are part of the build: npm test fails when a build outgrows its budget, and when a README quotes a
// size the build no longer has.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getSizes } from './size.mjs';

const { note: _note, ...budget } = JSON.parse(readFileSync('packages/browser/size-budget.json', 'utf8')) as Record<
  string,
  { gzip: number }
>;
const bytes = (text: string) => Number(text.replace(/,/g, ''));

describe('size budgets (gzip -9)', async () => {
  const sizes = await getSizes();
  it.each(Object.keys(budget))('%s is within its budget', (name) => {
    expect(sizes[name as keyof typeof sizes]?.gzip, `${name}: ${JSON.stringify(sizes[name as keyof typeof sizes])}`).toBeLessThanOrEqual(
      budget[name]!.gzip,
    );
  });

  it('the READMEs quote the sizes the build has', () => {
    const root = readFileSync('README.md', 'utf8');
    const browser = readFileSync('packages/browser/README.md', 'utf8');
    const quoted = {
      'README.md script': bytes(/The script is \*\*([\d,]+) bytes gzip\*\* \(([\d,]+) brotli\)/.exec(root)?.[1] ?? ''),
      'README.md script brotli': bytes(/The script is \*\*[\d,]+ bytes gzip\*\* \(([\d,]+) brotli\)/.exec(root)?.[1] ?? ''),
      'README.md script, under Size and speed': bytes(/the goal is 9 KB\); it is ([\d,]+) bytes/.exec(root)?.[1] ?? ''),
      'browser README script': bytes(/One script tag of \*\*([\d,]+) bytes gzip\*\*/.exec(browser)?.[1] ?? ''),
      'browser README vitals': bytes(/after the tag \(([\d,]+) bytes gzip\)/.exec(browser)?.[1] ?? ''),
      'browser README table script': bytes(/\| `dist\/inkling\.min\.js` \|[^|]*\| ([\d,]+) B \|/.exec(browser)?.[1] ?? ''),
      'browser README table vitals': bytes(/\| `dist\/inkling\.vitals\.min\.js` \|[^|]*\| ([\d,]+) B \|/.exec(browser)?.[1] ?? ''),
      'browser README table npm': bytes(/as an app bundles it: ([\d,]+) B/.exec(browser)?.[1] ?? ''),
    };
    const script = sizes['inkling.min.js']!;
    const vitals = sizes['inkling.vitals.min.js']!;
    const npm = sizes['import { createTracker }']!;
    expect(quoted).toEqual({
      'README.md script': script.gzip,
      'README.md script brotli': script.brotli,
      'README.md script, under Size and speed': script.gzip,
      'browser README script': script.gzip,
      'browser README vitals': vitals.gzip,
      'browser README table script': script.gzip,
      'browser README table vitals': vitals.gzip,
      'browser README table npm': npm.gzip,
    });
  });
});
