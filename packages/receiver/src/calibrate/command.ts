import { readFileSync, writeFileSync } from 'node:fs';
import { DEFAULT_MODEL, parseModel } from '@inkling/core';
import type { Flag, Sourced } from '../cli/args.js';
import { formatHelp, parseFlags, toInteger, toNumber } from '../cli/args.js';
import type { CliIo } from '../cli/io.js';
import { CliError } from '../cli/io.js';
import { calibrate } from './calibrate.js';
import type { CalibrateOptions } from './calibrate.js';
import { readDataset } from './dataset.js';
import { CalibrateError } from './errors.js';
import { formatReport } from './report.js';

const FLAGS: Record<string, Flag> = {
  input: { type: 'string', value: 'file', help: 'CSV, one row per visitor: "converted" (true/false or 1/0), optional "visitor", and feature columns (page_views, article_reads, pricing_views, ...)' },
  output: { type: 'string', value: 'file', help: 'Write the fitted model here (JSON for parseModel, the browser and the receiver)' },
  folds: { type: 'string', value: 'n', help: 'Cross-validation folds, 2 to 20 (default 5)' },
  seed: { type: 'string', value: 'n', help: 'Seed of the fold assignment (default 1)' },
  l2: { type: 'string', value: 'number', help: 'L2 penalty on the standardised weights, > 0 (default 1)' },
  version: { type: 'string', value: 'name', help: 'Model version carried by every score (default calibrated-YYYY-MM-DD)' },
  'half-life': { type: 'string', value: 'days', help: `Half-life the CSV's features were computed with (default ${DEFAULT_MODEL.halfLifeDays})` },
  'warm-share': { type: 'string', value: 'fraction', help: 'Warm (or above) is at most this share of visitors, the top of the held-out ranking (default 0.2)' },
  'hot-precision': { type: 'string', value: 'fraction', help: 'Hot is the largest group whose held-out share of converts reaches this (default twice warm\'s precision, at most halfway from it to 1)' },
};

/** A fraction strictly between 0 and 1, or a usage error naming the flag. */
function toFraction(sourced: Sourced<unknown>): number {
  const text = String(sourced.value);
  const n = Number(text);
  if (!/^(0?\.\d+)$/.test(text.trim()) || !(n > 0 && n < 1)) throw new CliError(`${sourced.source}: expected a fraction between 0 and 1 such as 0.2, got ${JSON.stringify(text)}`);
  return n;
}

export const CALIBRATE_HELP = formatHelp(
  'inkling calibrate --input visitors.csv [--output model.json] [options]',
  "Fits the intent model's weights to your own outcomes and compares it with the default model.\nExit codes: 0 done, 1 the data or a file could not be used, 2 a bad command line.",
  FLAGS,
);

/** The command line as calibration options; throws a `CliError` naming the flag. */
function getCalibrateOptions(args: string[], io: CliIo): { help: boolean; input: string; output: string | undefined; options: CalibrateOptions } {
  const values = parseFlags('calibrate', args, FLAGS, io.env ?? {});
  const { input, output, folds, seed, l2, version, 'half-life': halfLife, 'warm-share': warmShare, 'hot-precision': hotPrecision } = values;
  if (values['help']) return { help: true, input: '', output: undefined, options: { folds: 5, seed: 1, l2: 1, version: '', halfLifeDays: 0 } };
  if (!input) throw new CliError('--input: expected the visitors CSV, e.g. --input visitors.csv');
  if (version && !/^.{1,64}$/.test(String(version.value))) throw new CliError(`${version.source}: expected a name of 1 to 64 characters, got ${JSON.stringify(version.value)}`);
  return {
    help: false,
    input: String(input.value),
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

/**
 * `inkling calibrate --input visitors.csv [--output model.json] [--folds 5] [--seed 1] [--l2 1] [--version name]`:
 * reads the CSV, fits the model, prints the report to `stdout`, writes the model file. Throws a `CliError` for a
 * bad command line (exit 2) and a `CalibrateError` for data or a file it cannot use (exit 1).
 */
export async function calibrateCommand(args: string[], io: CliIo): Promise<number> {
  const { help, input, output, options } = getCalibrateOptions(args, io);
  if (help) {
    io.stdout(CALIBRATE_HELP);
    return 0;
  }
  let text: string;
  try {
    text = readFileSync(input, 'utf8');
  } catch (e) {
    throw new CalibrateError('bad_file', `--input: cannot read ${input}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  const result = calibrate(readDataset(text), options);
  // The file must load where it will be used: check it with the same parser as the browser and the receiver.
  const json = JSON.stringify(parseModel(JSON.parse(JSON.stringify(result.model))), null, 2) + '\n';
  let report = formatReport(result, input);
  if (output) {
    try {
      writeFileSync(output, json);
    } catch (e) {
      throw new CalibrateError('bad_file', `--output: cannot write ${output}: ${(e as Error).message}`);
    }
    report += `\nWrote ${output} (logistic model, version ${result.model.version}).\n`;
  } else {
    report += '\nNo model file written: add --output model.json to write one.\n';
  }
  io.stdout(report);
  // Said twice: a warning at the top of a long report is easy to scroll past, and scripts read stderr.
  for (const warning of result.warnings) io.stderr(`inkling calibrate: warning: ${warning}\n`);
  return 0;
}
