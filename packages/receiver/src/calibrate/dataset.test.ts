import { FEATURE_NAMES } from '@inkling/core';
import { describe, expect, it } from 'vitest';
import { readDataset } from './dataset.js';
import { CalibrateError } from './errors.js';

const rows = (n: number) => Array.from({ length: n }, (_, i) => `v${i},${i % 2 ? 'true' : 'false'},${i},${i * 2}`);
const file = (...lines: string[]) => ['visitor,converted,pricing_views,docs_views', ...lines].join('\n') + '\n';

function error(text: string): CalibrateError {
  try {
    readDataset(text);
  } catch (e) {
    expect(e).toBeInstanceOf(CalibrateError);
    return e as CalibrateError;
  }
  throw new Error('readDataset accepted it');
}

describe('readDataset', () => {
  it('reads labels, features and lines, ignoring the visitor column', () => {
    const data = readDataset('\uFEFF"converted",visitor,docs_views,pricing_views\r\nTRUE,a,1.5,0\r\n\r\n0,"b",2,1e1\r\n1,c,.5, 3 \r\n');
    expect(data).toEqual({
      features: ['docs_views', 'pricing_views'],
      x: [
        [1.5, 0],
        [2, 10],
        [0.5, 3],
      ],
      y: [1, 0, 1],
      lines: [2, 4, 5],
    });
  });

  it('names the row and column of a bad number', () => {
    const text = file(...rows(15), 'v15,true,abc,1');
    expect(error(text)).toMatchObject({ code: 'bad_value', message: 'row 17, column pricing_views: expected a number >= 0, got "abc"' });
    expect(error(file('v1,true,-1,0')).message).toBe('row 2, column pricing_views: expected a number >= 0, got "-1"');
    expect(error(file('v1,true,1,')).message).toBe('row 2, column docs_views: expected a number >= 0, got ""');
    expect(error(file('v1,true,0x10,1')).message).toBe('row 2, column pricing_views: expected a number >= 0, got "0x10"');
    expect(error(file('v1,true,Infinity,1')).message).toBe('row 2, column pricing_views: expected a number >= 0, got "Infinity"');
  });

  it('names an unknown column and lists the valid ones', () => {
    const e = error('converted,pricing_view\n1,2\n');
    expect(e.message).toBe(
      `row 1, column 2: unknown column "pricing_view"; valid columns are converted, visitor, ${FEATURE_NAMES.join(', ')}`,
    );
  });

  it('asks for the label column when it is missing', () => {
    expect(error('visitor,pricing_views\na,1\n').message).toBe(
      'row 1: no "converted" column; add one with true/false or 1/0 for whether each visitor converted',
    );
  });

  it('names the row and column of a bad label', () => {
    expect(error(file(...rows(2), 'v2,maybe,1,1')).message).toBe('row 4, column converted: expected true/false or 1/0, got "maybe"');
    expect(error(file('v2,constructor,1,1')).message).toBe('row 2, column converted: expected true/false or 1/0, got "constructor"');
  });

  it('names a ragged row', () => {
    expect(error(file(...rows(3), 'v3,true,1')).message).toBe('row 5: expected 4 fields like the header, got 3');
    expect(error(file('v3,true,1,2,3')).message).toBe('row 2: expected 4 fields like the header, got 5');
  });

  it('refuses a column given twice, a file with no features, no rows, or nothing at all', () => {
    expect(error('converted,visits,visits\n1,2,3\n').message).toBe('row 1: column "visits" appears twice (columns 2 and 3); keep one');
    expect(error('converted,visitor\n1,a\n').message).toMatch(/^row 1: no feature columns; add some of page_views, /);
    expect(error('converted,visits\n\n').message).toBe('the file has a header but no visitors; add one row per visitor');
    expect(error('\n\n').message).toBe('the file is empty: expected a header row with "converted" and feature columns');
  });
});
