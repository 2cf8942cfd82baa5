import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { makeBatch, makeEvent } from '../test/events.js';
import { getBatchSchema, validateBatch } from './validate.js';

const committed = JSON.parse(readFileSync(new URL('../schema/batch.v1.json', import.meta.url), 'utf8'));

describe('the published JSON Schema', () => {
  it('is the schema the validator generates (run `npm run build` to refresh it)', () => {
    expect(committed).toEqual(getBatchSchema());
  });

  const ajv = new Ajv2020.default({ allErrors: true, strict: false });
  const check = ajv.compile(committed);
  const cases: Array<[string, unknown]> = [
    ['every event type', makeBatch()],
    ['a bad timestamp', makeBatch([makeEvent('page_view', { ts: 'yesterday' })])],
    ['an unknown envelope field', makeBatch([{ ...makeEvent('page_view'), score: 1 } as never])],
    ['an unknown type', makeBatch([{ ...makeEvent('page_view'), type: 'pageview' } as never])],
    ['a negative engaged time', makeBatch([makeEvent('page_engagement', { props: { pageViewId: '0193a4f2-5c1e-7b3a-9f4e-1c2d3e4f5a6b', engagedMs: -1, attentiveMs: 0, scrollDepth: 0 } })])],
    ['custom track props', makeBatch([makeEvent('track', { props: { name: 'signup', plan: 'pro', tags: ['a', 'b'] } })])],
    ['no events', { v: 1, site: 'x', sentAt: new Date().toISOString(), events: [] }],
    ['wrong version', { ...makeBatch(), v: 2 }],
  ];
  it.each(cases)('agrees with the validator on %s', (_name, input) => {
    expect(check(input)).toBe(validateBatch(input).ok);
  });
});
