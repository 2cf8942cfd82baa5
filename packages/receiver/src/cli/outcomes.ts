import { readFileSync } from 'node:fs';
import { ImportFileError, importOutcomes } from '../outcomes/import.js';
import type { ImportProblem, ImportResult } from '../outcomes/import.js';
import type { Flag } from './args.js';
import { formatHelp, parseFlags } from './args.js';
import type { CliIo } from './io.js';
import { CliError } from './io.js';
import { openCliStore } from './open-store.js';
import { DEFAULT_DB } from './serve.js';

const FLAGS: Record<string, Flag> = {
  db: { type: 'string', env: 'INKLING_DB', value: 'file|url', help: `SQLite database file, or a postgres:// URL (default ${DEFAULT_DB})` },
  site: { type: 'string', value: 'id', help: 'Match leads of this site only (needed when one user id is known on several sites)' },
  'dry-run': { type: 'boolean', help: 'Check and match every row, record nothing' },
  'skip-invalid': { type: 'boolean', help: 'Record the valid rows even when some are invalid (default: record nothing then)' },
};

export const OUTCOMES_HELP = formatHelp(
  'inkling outcomes import <file.csv> [options]',
  `Record what became of leads, from a CRM export. The CSV's header names a key column (lead_id, user_id or
email: the first non-empty one of each row is used; email matches a lead identified with that address),
"outcome" (converted, won or lost), and optionally "at" (ISO-8601 date; default now), "value" and "note".
Other columns are read past. A later outcome of a lead replaces the earlier one, so importing again is safe.
Exit codes: 0 done (unmatched rows are reported, not errors), 1 an invalid row or a file that cannot be used,
2 a bad command line.`,
  FLAGS,
);

/** How many problems of each kind are listed; the rest are counted. */
const LISTED_PROBLEMS = 20;

function listProblems(title: string, problems: readonly ImportProblem[]): string[] {
  if (!problems.length) return [];
  const lines = problems.slice(0, LISTED_PROBLEMS).map((p) => `  row ${p.line}: ${p.message}`);
  if (problems.length > LISTED_PROBLEMS) lines.push(`  ... and ${problems.length - LISTED_PROBLEMS} more`);
  return [`${title}:`, ...lines];
}

/** The import's report: counts first, then the rows to look at (by row number: a key may be an e-mail address). */
export function formatImport(file: string, r: ImportResult): string {
  const verb = r.written ? 'recorded' : 'not recorded';
  const lines = [
    `Read ${file}: ${r.rows} row${r.rows === 1 ? '' : 's'}, ${r.matched} matched (${verb}), ${r.unmatched.length} unmatched, ${r.invalid.length} invalid.`,
    ...(r.ignoredColumns.length ? [`Columns read past: ${r.ignoredColumns.join(', ')}.`] : []),
    ...listProblems('Unmatched', r.unmatched),
    ...listProblems('Invalid', r.invalid),
  ];
  if (!r.written && r.invalid.length)
    lines.push('Nothing was recorded: fix the invalid rows and run again, or add --skip-invalid to record the valid ones.');
  else if (!r.written) lines.push('Dry run: nothing was recorded.');
  return lines.join('\n') + '\n';
}

/** `inkling outcomes import <file.csv>`. */
export async function outcomesCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    io.stdout(OUTCOMES_HELP);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'import')
    throw new CliError(
      `inkling outcomes: unknown subcommand ${JSON.stringify(sub)}; expected import, e.g. inkling outcomes import crm.csv`,
    );
  const values = parseFlags('outcomes import', rest, FLAGS, io.env ?? {}, ['file']);
  if (values['help']) {
    io.stdout(OUTCOMES_HELP);
    return 0;
  }
  const file = values['file'];
  if (!file) throw new CliError('<file>: expected the CRM export to import, e.g. inkling outcomes import crm.csv');
  let text: string;
  try {
    text = readFileSync(String(file.value), 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new Error(`cannot read ${String(file.value)}: ${reason}`, { cause: error });
  }
  const store = await openCliStore(values, values['dry-run'] ? 'read' : 'write');
  try {
    const site = values['site'] ? String(values['site'].value) : undefined;
    const result = await importOutcomes(store, text, {
      nowMs: Date.now(),
      dryRun: values['dry-run']?.value === true,
      skipInvalid: values['skip-invalid']?.value === true,
      ...(site ? { site } : {}),
    });
    io.stdout(formatImport(String(file.value), result));
    return result.invalid.length && !values['skip-invalid'] ? 1 : 0;
  } catch (error) {
    if (error instanceof ImportFileError) throw new Error(`${String(file.value)}: ${error.message}`, { cause: error });
    throw error;
  } finally {
    await store.close();
  }
}
