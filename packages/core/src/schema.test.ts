import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it, vi } from 'vitest';
import { makeBatch, makeEvent } from '../test/events.js';
import { getBatchSchema, validateBatch } from './validate.js';

const committed = JSON.parse(readFileSync(new URL('../schema/batch.v1.json', import.meta.url), 'utf8'));

describe('the published JSON Schema', () => {
  it('is the schema the validator generates (run `npm run build` to refresh it)', () => {
    expect(committed).toEqual(getBatchSchema());
  });

  // With the formats plugin a JSON Schema validator checks `format: date-time` as the validator does; without it, ajv
  // warns "unknown format" and lets any string through.
  const ajv = new Ajv2020.default({ allErrors: true, strict: false });
  addFormats.default(ajv);
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  const check = ajv.compile(committed);
  const warnings = warn.mock.calls.map((call) => call.join(' '));
  warn.mockRestore();

  it('compiles in a standard validator without a warning (every format is known)', () => {
    expect(warnings).toEqual([]);
  });

  const cases: Array<[string, unknown]> = [
    ['every event type', makeBatch()],
    ['a bad timestamp', makeBatch([makeEvent('page_view', { ts: 'yesterday' })])],
    ['a timestamp in month 13', makeBatch([makeEvent('page_view', { ts: '2026-13-01T10:00:00.000Z' })])],
    ['a bad sentAt', { ...makeBatch(), sentAt: '2026-11-30 10:00' }],
    ['an unknown envelope field', makeBatch([{ ...makeEvent('page_view'), score: 1 } as never])],
    ['an unknown type', makeBatch([{ ...makeEvent('page_view'), type: 'pageview' } as never])],
    [
      'a negative engaged time',
      makeBatch([
        makeEvent('page_engagement', {
          props: { pageViewId: '0193a4f2-5c1e-7b3a-9f4e-1c2d3e4f5a6b', engagedMs: -1, attentiveMs: 0, scrollDepth: 0 },
        }),
      ]),
    ],
    ['custom track props', makeBatch([makeEvent('track', { props: { name: 'signup', plan: 'pro', tags: ['a', 'b'] } })])],
    ['an account on an event', makeBatch([makeEvent('page_view', { account: 'northwind' })])],
    ['an e-mail address as account', makeBatch([makeEvent('page_view', { account: 'ada@northwind.com' })])],
    ['a padded account', makeBatch([makeEvent('page_view', { account: 'northwind ' })])],
    ['an account with a control character', makeBatch([makeEvent('page_view', { account: 'north\u0007wind' })])],
    ['an empty group id', makeBatch([makeEvent('group', { props: { accountId: '' } })])],
    ['no events', { v: 1, site: 'x', sentAt: new Date().toISOString(), events: [] }],
    ['wrong version', { ...makeBatch(), v: 2 }],
  ];
  it.each(cases)('agrees with the validator on %s', (_name, input) => {
    expect(check(input)).toBe(validateBatch(input).ok);
  });
});
