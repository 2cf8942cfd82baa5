import { readFileSync, writeFileSync } from 'node:fs';
import { DEFAULT_MODEL, parseModel } from '@inkling/core';
import { calibrate } from './calibrate.js';
import type { CalibrateOptions } from './calibrate.js';
import { readDataset } from './dataset.js';
import { CalibrateError } from './errors.js';
import { formatReport } from './report.js';

/** Where `inkling calibrate` writes. */
export interface CommandIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

const USAGE = `Usage: inkling calibrate --input visitors.csv [--output model.json] [options]

Fits the intent model's weights to your own outcomes and compares it with the default model.

  --input <file>       CSV, one row per visitor: "converted" (true/false or 1/0), optional "visitor",
                       and feature columns (page_views, article_reads, pricing_views, ...)
  --output <file>      write the fitted model (JSON for parseModel, the browser and the receiver)
  --folds <n>          cross-validation folds, 2 to 20 (default 5)
  --seed <n>           seed of the fold assignment (default 1)
  --l2 <number>        L2 penalty on the standardised weights, > 0 (default 1)
  --version <name>     model version carried by every score (default calibrated-YYYY-MM-DD)
  --half-life <days>   half-life the CSV's features were computed with (default 30)
`;

// Exit codes: 0 done, 1 the data or a file could not be used, 2 the command line is wrong.
const EXIT_DATA = 1;
const EXIT_USAGE = 2;

type Flags = { input?: string; output?: string } & CalibrateOptions;

function parseArgs(args: readonly string[]): Flags {
  const flags: Flags = { folds: 5, seed: 1, l2: 1, version: `calibrated-${new Date().toISOString().slice(0, 10)}`, halfLifeDays: DEFAULT_MODEL.halfLifeDays };
  const number = (name: string, raw: string, ok: (n: number) => boolean, expected: string): number => {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n) || !ok(n)) throw new CalibrateError('bad_option', `--${name}: expected ${expected}, got ${JSON.stringify(raw)}`);
    return n;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') ? arg.slice(2, eq > 0 ? eq : undefined) : '';
    const known = ['input', 'output', 'folds', 'seed', 'l2', 'version', 'half-life'];
    if (!known.includes(name)) throw new CalibrateError('bad_option', `unknown argument ${JSON.stringify(arg)}; see --help`);
    const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined) throw new CalibrateError('bad_option', `--${name}: expected a value`);
    if (name === 'input') flags.input = value;
    if (name === 'output') flags.output = value;
    if (name === 'folds') flags.folds = number(name, value, (n) => Number.isInteger(n) && n >= 2 && n <= 20, 'a whole number from 2 to 20');
    if (name === 'seed') flags.seed = number(name, value, Number.isInteger, 'a whole number');
    if (name === 'l2') flags.l2 = number(name, value, (n) => n > 0, 'a number > 0');
    if (name === 'half-life') flags.halfLifeDays = number(name, value, (n) => n > 0, 'a number of days > 0');
    if (name === 'version') {
      if (!/^.{1,64}$/.test(value)) throw new CalibrateError('bad_option', `--version: expected a name of 1 to 64 characters, got ${JSON.stringify(value)}`);
      flags.version = value;
    }
  }
  if (!flags.input) throw new CalibrateError('bad_option', '--input: expected the visitors CSV, e.g. --input visitors.csv');
  return flags;
}

/**
 * `inkling calibrate --input visitors.csv [--output model.json] [--folds 5] [--seed 1] [--l2 1] [--version name]`:
 * reads the CSV, fits the model, prints the report to `stdout`, writes the model file. Returns the exit code:
 * 0 done, 1 the data or a file could not be used, 2 a bad command line (the message says which).
 */
export async function calibrateCommand(args: string[], io: CommandIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(USAGE);
    return 0;
  }
  let flags: Flags;
  try {
    flags = parseArgs(args);
  } catch (e) {
    io.stderr(`inkling calibrate: ${(e as Error).message}\n`);
    return EXIT_USAGE;
  }
  try {
    let text: string;
    try {
      text = readFileSync(flags.input!, 'utf8');
    } catch (e) {
      throw new CalibrateError('bad_csv', `cannot read ${flags.input}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    }
    const result = calibrate(readDataset(text), flags);
    // The file must load where it will be used: check it with the same parser as the browser and the receiver.
    const json = JSON.stringify(parseModel(JSON.parse(JSON.stringify(result.model))), null, 2) + '\n';
    let report = formatReport(result, flags.input!);
    if (flags.output) {
      try {
        writeFileSync(flags.output, json);
      } catch (e) {
        throw new CalibrateError('bad_option', `cannot write ${flags.output}: ${(e as Error).message}`);
      }
      report += `\nWrote ${flags.output} (logistic model, version ${result.model.version}).\n`;
    } else {
      report += '\nNo model file written: add --output model.json to write one.\n';
    }
    io.stdout(report);
    return 0;
  } catch (e) {
    if (!(e instanceof CalibrateError)) throw e;
    io.stderr(`inkling calibrate: ${e.message}\n`);
    return EXIT_DATA;
  }
}
