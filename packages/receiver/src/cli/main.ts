import { readFileSync } from 'node:fs';
import { calibrateDispatch } from './calibrate.js';
import { exportFeaturesCommand } from './export-features.js';
import { outcomesCommand } from './outcomes.js';
import type { CliIo } from './io.js';
import { CliError, EXIT_USAGE } from './io.js';
import { serveCommand } from './serve.js';

export type { CliIo } from './io.js';

const COMMANDS: Record<string, (args: string[], io: CliIo) => Promise<number>> = {
  serve: serveCommand,
  'export-features': exportFeaturesCommand,
  calibrate: calibrateDispatch,
  outcomes: outcomesCommand,
};

export const MAIN_HELP = `Usage: inkling <command> [options]

Commands:
  serve             Run the receiver: collector, lead API, dashboard, scoring and webhooks
  export-features   Write the intent model's features of every lead as CSV (the calibrate input, unlabelled)
  outcomes import   Record what became of leads (converted or lost) from a CRM's CSV export
  calibrate         Fit the intent model to your own outcomes, from the store or a labelled CSV

Run inkling <command> --help for a command's options; inkling --version prints the version.
`;

/** The installed package's version: `../../package.json` from both `src/cli/` and `dist/cli/`. */
export function getVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** Runs the `inkling` command line; resolves to the exit code. Usage errors print the fix and exit 2. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(MAIN_HELP);
    return name === undefined ? EXIT_USAGE : 0;
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    io.stdout(`${getVersion()}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`inkling: unknown command ${JSON.stringify(name)}; expected one of ${Object.keys(COMMANDS).join(', ')}\n`);
    return EXIT_USAGE;
  }
  try {
    return await command(args, io);
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr(`${error.message}\n`);
      return EXIT_USAGE;
    }
    io.stderr(`inkling ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
