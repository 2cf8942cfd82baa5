import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv.js';

describe('parseCsv', () => {
  it('reads quoted fields, doubled quotes and commas inside quotes', () => {
    expect(parseCsv('a,"b, c","say ""hi"""\n')).toEqual([{ line: 1, fields: ['a', 'b, c', 'say "hi"'] }]);
  });

  it('reads CRLF, LF and CR line ends, and a file without a final line end', () => {
    expect(parseCsv('a,b\r\n1,2\n3,4\r5,6').map((r) => r.fields)).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
      ['5', '6'],
    ]);
  });

  it('drops a UTF-8 byte-order mark', () => {
    expect(parseCsv('\uFEFFconverted,visits\n1,2\n')[0]!.fields).toEqual(['converted', 'visits']);
  });

  it('skips blank lines but numbers rows as an editor does, multi-line fields included', () => {
    const records = parseCsv('h1,h2\r\n\r\n1,"two\r\nlines"\r\n\r\n3,4\r\n');
    expect(records).toEqual([
      { line: 1, fields: ['h1', 'h2'] },
      { line: 3, fields: ['1', 'two\r\nlines'] },
      { line: 6, fields: ['3', '4'] },
    ]);
  });

  it('keeps empty fields, and a quoted empty line as a record', () => {
    expect(parseCsv('a,,c,\n""\n').map((r) => r.fields)).toEqual([['a', '', 'c', ''], ['']]);
  });

  it('names the row of a quote that is never closed', () => {
    expect(() => parseCsv('a,b\n1,"2\n3,4\n')).toThrow('row 2, column 2: a quoted field is never closed; add the closing "');
  });

  it('names the row and column of a stray quote', () => {
    expect(() => parseCsv('a,b\n1,2"\n')).toThrow('row 2, column 2: a quote inside an unquoted field');
    expect(() => parseCsv('a,b\n"1"x,2\n')).toThrow('row 2, column 1: text after a closing quote');
  });
});
