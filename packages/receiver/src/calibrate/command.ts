import { readFileSync, writeFileSync } from 'node:fs';
import { DEFAULT_MODEL, parseModel } from '@inkling/core';
import type { Flag, Sourced, Values } from '../cli/args.js';
import { formatHelp, parseFlags, toInteger, toNumber } from '../cli/args.js';
import type { CliIo } from '../cli/io.js';
import { CliError } from '../cli/io.js';
import { parseAsOf } from '../cli/export-features.js';
import { openCliStore } from '../cli/open-store.js';
import { DEFAULT_DB } from '../cli/serve.js';
import { calibrate } from './calibrate.js';
import type { CalibrateOptions } from './calibrate.js';
import { readDataset } from './dataset.js';
import { CalibrateError } from './errors.js';
import { formatStoreSummary, readStoreDataset } from './from-store.js';
import type { Dataset } from './dataset.js';
import { renderHtmlReport } from './html-report.js';
import { formatReport } from './report.js';
import { summariseCalibration } from './summary.js';

const FLAGS: Record<string, Flag> = {
  input: {
    type: 'string',
    value: 'file',
    help: 'CSV, one row per visitor: "converted" (true/false or 1/0), optional "visitor", and feature columns (page_views, article_reads, pricing_views, ...)',
  },
  output: { type: 'string', value: 'file', help: 'Write the fitted model here (JSON for parseModel, the browser and the receiver)' },
  folds: { type: 'string', value: 'n', help: 'Cross-validation folds, 2 to 20 (default 5)' },
  seed: { type: 'string', value: 'n', help: 'Seed of the fold assignment (default 1)' },
  l2: { type: 'string', value: 'number', help: 'L2 penalty on the standardised weights, > 0 (default 1)' },
  version: { type: 'string', value: 'name', help: 'Model version carried by every score (default calibrated-YYYY-MM-DD)' },
  'half-life': {
    type: 'string',
    value: 'days',
    help: `Half-life the CSV's features were computed with (default ${DEFAULT_MODEL.halfLifeDays})`,
  },
  // Learning from the store's own outcomes, and the report as a picture.
  'from-store': {
    type: 'boolean',
    help: "Fit on the store's leads and recorded outcomes instead of a CSV, each lead's features as of its own outcome",
  },
  db: {
    type: 'string',
    env: 'INKLING_DB',
    value: 'file|url',
    help: `With --from-store: SQLite database file, or a postgres:// URL (default ${DEFAULT_DB})`,
  },
  site: { type: 'string', value: 'id', help: 'With --from-store: only leads of this site' },
  'as-of': {
    type: 'string',
    value: 'when',
    help: 'With --from-store: leads without an outcome count as not converted, from their events before this (a date, an ISO-8601 date-time, or an age such as 30d; default now)',
  },
  'open-leads': {
    type: 'string',
    value: 'lost|skip',
    help: 'With --from-store: count leads without an outcome as not converted (lost, the default) or leave them out (skip)',
  },
  report: {
    type: 'string',
    value: 'file',
    help: 'Also write the report as a self-contained HTML page with ROC, precision-recall, reliability and lift charts',
  },
  'warm-share': {
    type: 'string',
    value: 'fraction',
    help: 'Warm (or above) is at most this share of visitors, the top of the held-out ranking (default 0.2)',
  },
  'hot-precision': {
    type: 'string',
    value: 'fraction',
    help: "Hot is the largest group whose held-out share of converts reaches this (default twice warm's precision, at most halfway from it to 1)",
  },
};

/** A fraction strictly between 0 and 1, or a usage error naming the flag. */
function toFraction(sourced: Sourced<unknown>): number {
  const text = String(sourced.value);
  const n = Number(text);
  if (!/^(0?\.\d+)$/.test(text.trim()) || !(n > 0 && n < 1))
    throw new CliError(`${sourced.source}: expected a fraction between 0 and 1 such as 0.2, got ${JSON.stringify(text)}`);
  return n;
}

export const CALIBRATE_HELP = formatHelp(
  'inkling calibrate --input visitors.csv [--output model.json] [--report report.html] [options]\n       inkling calibrate --from-store [--db file|url] [--as-of when] [--output model.json] [--report report.html] [options]',
  "Fits the intent model's weights to your own outcomes and compares it with the default model.\nExit codes: 0 done, 1 the data or a file could not be used, 2 a bad command line.",
  FLAGS,
);

/** The command line as calibration options; throws a `CliError` naming the flag. */
function getCalibrateOptions(
  args: string[],
  io: CliIo,
): { help: boolean; input: string; output: string | undefined; options: CalibrateOptions; values: Values } {
  const values = parseFlags('calibrate', args, FLAGS, io.env ?? {});
  const { input, output, folds, seed, l2, version, 'half-life': halfLife, 'warm-share': warmShare, 'hot-precision': hotPrecision } = values;
  if (values['help'])
    return { help: true, input: '', output: undefined, options: { folds: 5, seed: 1, l2: 1, version: '', halfLifeDays: 0 }, values };
  checkSource(values);
  if (version && !/^.{1,64}$/.test(String(version.value)))
    throw new CliError(`${version.source}: expected a name of 1 to 64 characters, got ${JSON.stringify(version.value)}`);
  return {
    values,
    help: false,
    input: input ? String(input.value) : '',
    output: output ? String(output.value) : undefined,
    options: {
      folds: folds ? toInteger(folds, 2, 20, 'a whole number') : 5,
      seed: seed ? toInteger(seed, 0, 2 ** 31 - 1, 'a whole number') : 1,
      l2: l2 ? toNumber(l2, 'a number > 0') : 1,
      version: version ? String(version.value) : `calibrated-${new Date().toISOString().slice(0, 10)}`,
      halfLifeDays: halfLife ? toNumber(halfLife, 'a number of days > 0') : DEFAULT_MODEL.halfLifeDays,
      ...(warmShare ? { warmShare: toFraction(warmShare) } : {}),
      ...(hotPrecision ? { hotPrecision: toFraction(hotPrecision) } : {}),
    },
  };
}

/** Exactly one source of rows: a CSV (`--input`) or the store (`--from-store`, which alone takes the store flags). */
function checkSource(values: Values): void {
  const fromStore = values['from-store']?.value === true;
  if (fromStore && values['input']) throw new CliError('--from-store: give either --input visitors.csv or --from-store, not both');
  if (!fromStore && !values['input'])
    throw new CliError(
      '--input: expected the visitors CSV, e.g. --input visitors.csv, or --from-store to fit on the outcomes in the store',
    );
  if (!fromStore) {
    for (const flag of ['site', 'as-of', 'open-leads'])
      if (values[flag]) throw new CliError(`--${flag}: only used with --from-store; add --from-store or leave it out`);
  }
}

/** The rows to fit, from the CSV or the store, and the name of where they came from. */
async function readRows(values: Values, input: string, halfLifeDays: number, io: CliIo): Promise<{ data: Dataset; source: string }> {
  if (values['from-store']?.value !== true) {
    let text: string;
    try {
      text = readFileSync(input, 'utf8');
    } catch (e) {
      throw new CalibrateError(
        'bad_file',
        `--input: cannot read ${input}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
      );
    }
    return { data: readDataset(text), source: input };
  }
  const asOf = values['as-of'];
  const asOfMs = asOf ? parseAsOf(asOf, Date.now()) : Date.now();
  const site = values['site'] ? String(values['site'].value) : undefined;
  const open = values['open-leads'];
  if (open && open.value !== 'lost' && open.value !== 'skip')
    throw new CliError(`${open.source}: expected lost or skip, got ${JSON.stringify(open.value)}`);
  const openLeads = open?.value === 'skip' ? 'skip' : 'lost';
  const store = await openCliStore(values, 'read');
  try {
    const { dataset, summary } = await readStoreDataset(
      store,
      { ...DEFAULT_MODEL, halfLifeDays },
      { asOfMs, openLeads, ...(site === undefined ? {} : { site }) },
    );
    io.stdout(formatStoreSummary(summary, openLeads));
    return { data: dataset, source: site === undefined ? 'the store' : `the store (site ${site})` };
  } finally {
    await store.close();
  }
}

/** Writes a file the command was asked for; a failure names the flag. */
function writeOutput(flag: string, file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (e) {
    throw new CalibrateError('bad_file', `${flag}: cannot write ${file}: ${(e as Error).message}`);
  }
}

/**
 * `inkling calibrate --input visitors.csv [--output model.json] [--folds 5] [--seed 1] [--l2 1] [--version name]`:
 * reads the CSV, fits the model, prints the report to `stdout`, writes the model file. Throws a `CliError` for a
 * bad command line (exit 2) and a `CalibrateError` for data or a file it cannot use (exit 1).
 */
export async function calibrateCommand(args: string[], io: CliIo): Promise<number> {
  const { help, input, output, options, values } = getCalibrateOptions(args, io);
  if (help) {
    io.stdout(CALIBRATE_HELP);
    return 0;
  }
  const { data, source } = await readRows(values, input, options.halfLifeDays, io);
  const result = calibrate(data, options);
  // The file must load where it will be used: check it with the same parser as the browser and the receiver. The
  // report's headline numbers ride along, for the receiver's model page.
  const checked = parseModel(JSON.parse(JSON.stringify(result.model)));
  const json = JSON.stringify({ ...checked, calibration: summariseCalibration(result, source) }, null, 2) + '\n';
  let report = formatReport(result, source);
  const html = values['report'] ? String(values['report'].value) : undefined;
  if (html) {
    writeOutput('--report', html, renderHtmlReport(result, source));
    report += `\nWrote ${html} (the report with its charts, a self-contained page).\n`;
  }
  if (output) {
    writeOutput('--output', output, json);
    report += `\nWrote ${output} (logistic model, version ${result.model.version}).\n`;
  } else {
    report += '\nNo model file written: add --output model.json to write one.\n';
  }
  io.stdout(report);
  // Said twice: a warning at the top of a long report is easy to scroll past, and scripts read stderr.
  for (const warning of result.warnings) io.stderr(`inkling calibrate: warning: ${warning}\n`);
  return 0;
}
