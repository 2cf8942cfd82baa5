// Size budgets are part of the build: npm test fails when a build outgrows its budget.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getSizes } from './size.mjs';

const { note: _note, ...budget } = JSON.parse(readFileSync('packages/browser/size-budget.json', 'utf8')) as Record<string, { gzip: number }>;

describe('size budgets (gzip -9)', async () => {
  const sizes = await getSizes();
  it.each(Object.keys(budget))('%s is within its budget', (name) => {
    expect(sizes[name as keyof typeof sizes]?.gzip, `${name}: ${JSON.stringify(sizes[name as keyof typeof sizes])}`).toBeLessThanOrEqual(budget[name]!.gzip);
  });
});
