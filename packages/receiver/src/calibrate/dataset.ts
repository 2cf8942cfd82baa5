import { FEATURE_NAMES } from '@inkling/core';
import type { FeatureName } from '@inkling/core';
import { parseCsv } from './csv.js';
import { CalibrateError } from './errors.js';

/** The label column: did the visitor convert? */
export const LABEL_COLUMN = 'converted';

/** A column that may identify the visitor; it is read past, never used. */
export const ID_COLUMN = 'visitor';

/** Topic columns of export-features: allowed, and ignored by the fit. */
const TOPIC_COLUMN_PREFIX = 'topic:';

/** The visitors of a calibrate CSV, by column. */
export interface Dataset {
  /** The feature columns present, in the file's order. */
  features: FeatureName[];
  /** One row per visitor: the raw feature values, in `features` order. */
  x: number[][];
  /** 1 if the visitor converted. */
  y: (0 | 1)[];
  /** The line each row is on, for messages. */
  lines: number[];
}

// A plain decimal: no hex, no "Infinity", no blank (which Number() would read as 0).
const NUMBER = /^\+?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const LABELS = new Map<string, 0 | 1>([
  ['true', 1],
  ['false', 0],
  ['1', 1],
  ['0', 0],
]);

/**
 * Reads a calibrate CSV: a header row, the label column `converted` (true/false or 1/0), an optional `visitor`
 * column, and any of the feature columns (`FEATURE_NAMES`); one row per visitor. Throws a
 * {@link CalibrateError} naming the row and the column of the first problem.
 *
 * @example
 * readDataset('visitor,converted,pricing_views\nv1,true,2\nv2,false,0\n');
 */
export function readDataset(text: string): Dataset {
  const records = parseCsv(text);
  const header = records[0];
  if (!header) throw new CalibrateError('bad_csv', `the file is empty: expected a header row with "${LABEL_COLUMN}" and feature columns`);
  const names = header.fields.map((f) => f.trim());
  const valid = [LABEL_COLUMN, ID_COLUMN, ...FEATURE_NAMES];
  const seen = new Map<string, number>();
  names.forEach((name, i) => {
    // Topic columns (`topic:<name>`, from export-features) are read past: a model has no per-topic weights, and a
    // site's topics differ from the next site's, so they are for the site's own analysis, not for the fit.
    if (!valid.includes(name) && !name.startsWith(TOPIC_COLUMN_PREFIX)) {
      throw new CalibrateError(
        'bad_csv',
        `row ${header.line}, column ${i + 1}: unknown column "${name}"; valid columns are ${valid.join(', ')}`,
      );
    }
    const first = seen.get(name);
    if (first !== undefined)
      throw new CalibrateError(
        'bad_csv',
        `row ${header.line}: column "${name}" appears twice (columns ${first + 1} and ${i + 1}); keep one`,
      );
    seen.set(name, i);
  });
  const label = seen.get(LABEL_COLUMN);
  if (label === undefined) {
    throw new CalibrateError(
      'bad_csv',
      `row ${header.line}: no "${LABEL_COLUMN}" column; add one with true/false or 1/0 for whether each visitor converted`,
    );
  }
  const columns = names.flatMap((name, i) => ((FEATURE_NAMES as readonly string[]).includes(name) ? [i] : []));
  if (!columns.length)
    throw new CalibrateError('bad_csv', `row ${header.line}: no feature columns; add some of ${FEATURE_NAMES.join(', ')}`);

  const data: Dataset = { features: columns.map((i) => names[i] as FeatureName), x: [], y: [], lines: [] };
  for (const { line, fields } of records.slice(1)) {
    if (fields.length !== names.length) {
      throw new CalibrateError('bad_csv', `row ${line}: expected ${names.length} fields like the header, got ${fields.length}`);
    }
    const y = LABELS.get(fields[label]!.trim().toLowerCase());
    if (y === undefined)
      throw new CalibrateError(
        'bad_value',
        `row ${line}, column ${LABEL_COLUMN}: expected true/false or 1/0, got ${JSON.stringify(fields[label])}`,
      );
    data.x.push(
      columns.map((i) => {
        const cell = fields[i]!.trim();
        const value = Number(cell);
        if (!NUMBER.test(cell) || !Number.isFinite(value)) {
          throw new CalibrateError(
            'bad_value',
            `row ${line}, column ${names[i]}: expected a number >= 0, got ${JSON.stringify(fields[i])}`,
          );
        }
        return value;
      }),
    );
    data.y.push(y);
    data.lines.push(line);
  }
  if (!data.y.length) throw new CalibrateError('bad_data', 'the file has a header but no visitors; add one row per visitor');
  return data;
}
