import { CalibrateError } from './errors.js';

/** One record of a CSV file, with the line it starts on (1-based, the header is line 1). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/**
 * Parses RFC 4180 CSV: comma-separated, fields optionally in double quotes (`""` is a quote inside them, and
 * they may span lines), CRLF, LF or CR line ends, an optional UTF-8 byte-order mark. Blank lines are skipped
 * but still counted, so `line` matches what an editor or a spreadsheet shows.
 *
 * @example
 * parseCsv('converted,pricing_views\r\n1,"2"\r\n') // [{ line: 1, fields: ['converted', 'pricing_views'] }, { line: 2, fields: ['1', '2'] }]
 */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let line = 1;
  let i = 0;
  while (i < s.length) {
    const start = line;
    const fields: string[] = [];
    let quotedAny = false;
    // One record: fields until an unquoted line end or the end of the text.
    for (;;) {
      let field = '';
      if (s[i] === '"') {
        quotedAny = true;
        i++;
        for (;;) {
          if (i >= s.length)
            throw new CalibrateError(
              'bad_csv',
              `row ${start}, column ${fields.length + 1}: a quoted field is never closed; add the closing "`,
            );
          const c = s[i]!;
          if (c === '"') {
            if (s[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n' || (c === '\r' && s[i + 1] !== '\n')) line++;
          field += c;
          i++;
        }
        const next = s[i];
        if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
          throw new CalibrateError(
            'bad_csv',
            `row ${start}, column ${fields.length + 1}: text after a closing quote; write a quote inside a quoted field as ""`,
          );
        }
      } else {
        while (i < s.length && s[i] !== ',' && s[i] !== '\n' && s[i] !== '\r') {
          if (s[i] === '"')
            throw new CalibrateError(
              'bad_csv',
              `row ${start}, column ${fields.length + 1}: a quote inside an unquoted field; quote the whole field and write the quote as ""`,
            );
          field += s[i];
          i++;
        }
      }
      fields.push(field);
      if (s[i] === ',') {
        i++;
        continue;
      }
      // A line end (CRLF counts once) or the end of the text.
      if (s[i] === '\r' && s[i + 1] === '\n') i++;
      if (i < s.length) {
        i++;
        line++;
      }
      break;
    }
    if (fields.length === 1 && fields[0] === '' && !quotedAny) continue;
    records.push({ line: start, fields });
  }
  return records;
}
