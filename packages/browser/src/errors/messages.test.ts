import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERRORS_URL, getErrorMessage as getShortMessage, getOptionMessage as getShortOptionMessage } from './codes.js';
import { ERROR_CODES, getErrorMessage, getOptionMessage } from './messages.js';

const SRC = 'packages/browser/src';
const headings = [...readFileSync('docs/errors.md', 'utf8').matchAll(/^## (E\d+)$/gm)].map(([, code]) => code);
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /(?<!\.test)\.ts$/.test(e.name) ? [join(dir, e.name)] : [],
  );

describe('error codes', () => {
  it('have one heading each in docs/errors.md, and no heading is left without a code', () => {
    expect(headings).toEqual(ERROR_CODES);
  });

  it('used anywhere in the source are defined', () => {
    const used = new Set(sources(SRC).flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/'(E\d+)'/g)].map(([, code]) => code)));
    expect(used.size).toBeGreaterThan(20);
    for (const code of used) expect(ERROR_CODES, `${code} is used but not defined`).toContain(code);
  });

  it('say the option, the fix and the bad value in full', () => {
    expect(getOptionMessage('E3', 'site', 'a b')).toBe(
      'Inkling: option "site" must be up to 128 letters, digits, ".", ":", "-" or "_"; got "a b"',
    );
    expect(getOptionMessage('E16', 'queue.batchEvents', 500, 100)).toBe(
      'Inkling: option "queue.batchEvents" must be a whole number from 1 to 100; got 500',
    );
    expect(getErrorMessage('E24', 'maybe')).toBe('Inkling: consent() takes "granted" or "denied"; got maybe');
  });

  it('in short say the code, the attribute and the heading that explains them', () => {
    expect(getShortOptionMessage('E3', 'site', 'a b')).toBe(`Inkling E3: data-site; see ${ERRORS_URL}e3`);
    expect(getShortOptionMessage('E6', 'scrollRoot', '#', '#reader')).toBe(`Inkling E6: data-scroll-root; see ${ERRORS_URL}e6`);
    expect(getShortMessage('E24', 'maybe')).toBe(`Inkling E24: see ${ERRORS_URL}e24`);
    expect(ERRORS_URL).toMatch(/\/docs\/errors\.md#$/);
  });
});
