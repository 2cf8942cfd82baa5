import type { Calibration, HeldOut } from './calibrate.js';
import { getMeanSd } from './metrics.js';

const fixed = (v: number, digits = 3): string => (Number.isNaN(v) ? '-' : v.toFixed(digits));
const percent = (v: number): string => (Number.isNaN(v) ? '-' : `${(v * 100).toFixed(1)}%`);
const signed = (v: number, digits: number): string => (v >= 0 ? '+' : '') + v.toFixed(digits);
const meanSd = (values: number[]): string => {
  const { mean, sd } = getMeanSd(values);
  return `${fixed(mean)} ± ${fixed(sd)}`;
};

function table(rows: string[][], align: ('l' | 'r')[]): string[] {
  const widths = rows[0]!.map((_, j) => Math.max(...rows.map((r) => r[j]!.length)));
  return rows.map(
    (r) =>
      '  ' +
      r
        .map((cell, j) => (align[j] === 'r' ? cell.padStart(widths[j]!) : cell.padEnd(widths[j]!)))
        .join('   ')
        .trimEnd(),
  );
}

/**
 * The calibration report, as printed by `inkling calibrate`: the data, the held-out comparison with the
 * default model, the levels' precision and recall, and the fitted weights.
 */
export function formatReport(c: Calibration, input: string): string {
  const { folds, seed, l2 } = c.options;
  const rate = c.converted / c.rows;
  const lift = (precision: number): string => (Number.isNaN(precision) ? '-' : `${(precision / rate).toFixed(1)}x`);
  const models: [string, HeldOut][] = [
    ['fitted model', c.fitted],
    ['default model', c.baseline],
  ];
  const warnings = c.warnings.map((w) => `WARNING: ${w}`);
  const lines = [
    ...(warnings.length ? [...warnings, ''] : []),
    `Calibrated on ${input}: ${c.rows} visitors, ${c.converted} converted (${percent(rate)}), ${c.features.length} feature columns.`,
    ...c.dropped.map((d) =>
      d.reason === 'constant'
        ? `Left out ${d.feature}: it is ${d.equals}, so it says nothing about who converts.`
        : `Left out ${d.feature}: it equals ${d.equals} on every row; fitted together, their weights would swing against each other.`,
    ),
    `${folds}-fold cross-validation (stratified, seed ${seed}), L2 penalty ${l2}.`,
    '',
    `Held-out ranking (mean ± sd over ${folds} folds; chance: AUC 0.500, average precision ${fixed(rate)})`,
    ...table([['', 'ROC-AUC', 'average precision'], ...models.map(([name, m]) => [name, meanSd(m.auc), meanSd(m.ap)])], ['l', 'r', 'r']),
    '',
    'Held-out levels (all folds; a visitor flagged at the level or above)',
    ...table(
      [
        ['', 'level', 'flagged', 'precision', 'lift', 'recall'],
        ...models.flatMap(([name, m]) => [
          [name, 'warm', percent(m.warm.flagged), fixed(m.warm.precision), lift(m.warm.precision), fixed(m.warm.recall)],
          ['', 'hot', percent(m.hot.flagged), fixed(m.hot.precision), lift(m.hot.precision), fixed(m.hot.recall)],
        ]),
      ],
      ['l', 'l', 'r', 'r', 'r', 'r'],
    ),
    `  fitted: warm is the top ${percent(c.rule.warmShare)} of visitors (--warm-share), hot the largest group above it converting at`,
    c.thresholds.hotReached
      ? `  ${fixed(c.thresholds.hotPrecision)} or better (--hot-precision), on the held-out log-odds (${fixed(c.thresholds.warm)} and ${fixed(c.thresholds.hot)}).`
      : `  ${fixed(c.thresholds.hotPrecision)} (--hot-precision): none did, so hot is the top quarter of warm (log-odds ${fixed(c.thresholds.warm)} and ${fixed(c.thresholds.hot)}).`,
    '  The model file puts them at scores 50 and 80. lift: precision over the conversion rate.',
    '  default: score >= 50 / >= 80 with two kinds of signal, from the columns (no per-day caps in a CSV).',
    '',
    'Fitted weights (on ln(1 + feature); by importance)',
    ...table(
      [
        ['feature', 'per sd', 'in model'],
        ...c.weights.map((w) => [w.feature, signed(w.perSd, 3), w.weight === 0 ? '0' : signed(w.weight, 4)]),
        ['(intercept)', '', signed(c.model.intercept, 4)],
      ],
      ['l', 'r', 'r'],
    ),
    '  per sd: change in log-odds of converting for one standard deviation of the feature, comparable across',
    '  features; in model: the weight written to the model file, on its score scale.',
  ];
  if (c.features.includes('conversions')) {
    lines.push(
      '',
      'Note: the file has a conversions column. If a conversion is what "converted" records, drop the column: it',
      'gives the answer away, and the held-out numbers above are then too good to be true.',
    );
  }
  if (warnings.length) lines.push('', ...warnings);
  return lines.join('\n') + '\n';
}
