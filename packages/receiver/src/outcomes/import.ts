import { parseCsv } from '../calibrate/csv.js';
import type { Lead, OutcomeInput, Store } from '../store/types.js';
import { OUTCOME_FIELDS, OutcomeFieldError, parseOutcome } from './parse-outcome.js';

/** The columns that name the lead of a row, in the order they are tried. */
export const KEY_COLUMNS = ['lead_id', 'user_id', 'email'] as const;
type KeyColumn = (typeof KEY_COLUMNS)[number];

/** A row of the file that could not be used, with why. */
export interface ImportProblem {
  line: number;
  message: string;
}

/** What {@link importOutcomes} found and did. */
export interface ImportResult {
  rows: number;
  /** Rows matched to a lead (recorded, unless a dry run). */
  matched: number;
  /** Rows whose key names no lead, or several (a user id known on more than one site). */
  unmatched: ImportProblem[];
  /** Rows with a bad value: nothing of theirs was recorded. */
  invalid: ImportProblem[];
  /** Header columns that are neither a key nor an outcome field, read past. */
  ignoredColumns: string[];
  /** True when the rows were recorded. */
  written: boolean;
}

/** A file that cannot be imported at all: its shape is wrong. The message names the column and the fix. */
export class ImportFileError extends Error {
  override name = 'ImportFileError';
}

export interface ImportOptions {
  /** Match leads of this site only. */
  site?: string;
  /** Check and match every row, record nothing. */
  dryRun?: boolean;
  /** Record the valid rows even when some are invalid (by default one invalid row records nothing). */
  skipInvalid?: boolean;
  nowMs: number;
}

/**
 * Imports a CRM's outcomes CSV into the store. A header row names the columns: a key (`lead_id`, `user_id` or
 * `email`; several may be present and the first non-empty one of a row is used), `outcome` (converted / won / lost),
 * and optionally `at`, `value` and `note`; other columns are read past. `email` matches a lead identified with that
 * address as its user id, ignoring case. Every row is checked and matched first; nothing is recorded when a row is
 * invalid, unless `skipInvalid`. Throws an {@link ImportFileError} for a file without a key or an outcome column.
 */
export async function importOutcomes(store: Store, text: string, options: ImportOptions): Promise<ImportResult> {
  const records = parseCsv(text);
  const header = records[0];
  if (!header)
    throw new ImportFileError('the file is empty: expected a header row with a key column (lead_id, user_id or email) and "outcome"');
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const keys = KEY_COLUMNS.filter((k) => names.includes(k));
  if (!keys.length)
    throw new ImportFileError(`row ${header.line}: no key column; add one of ${KEY_COLUMNS.join(', ')} to say which lead each row is`);
  if (!names.includes('outcome'))
    throw new ImportFileError(`row ${header.line}: no "outcome" column; add one with converted or lost for each row`);
  const known: readonly string[] = [...KEY_COLUMNS, ...OUTCOME_FIELDS];
  const result: ImportResult = {
    rows: 0,
    matched: 0,
    unmatched: [],
    invalid: [],
    ignoredColumns: names.filter((n) => !known.includes(n)),
    written: false,
  };

  const ready: OutcomeInput[] = [];
  for (const { line, fields } of records.slice(1)) {
    result.rows++;
    if (fields.length !== names.length) {
      result.invalid.push({ line, message: `expected ${names.length} fields like the header, got ${fields.length}` });
      continue;
    }
    const cell = (name: string) => fields[names.indexOf(name)]!.trim();
    const key = keys.find((k) => cell(k) !== '');
    if (!key) {
      result.invalid.push({ line, message: `no key: ${keys.join(', ')} ${keys.length === 1 ? 'is' : 'are all'} empty` });
      continue;
    }
    const input: Record<string, unknown> = {};
    for (const name of OUTCOME_FIELDS) if (names.includes(name)) input[name] = cell(name);
    let parsed;
    try {
      parsed = parseOutcome(input, options.nowMs);
    } catch (error) {
      if (!(error instanceof OutcomeFieldError)) throw error;
      result.invalid.push({ line, message: `column ${error.field}: ${error.rule}` });
      continue;
    }
    const leads = await findLeads(store, key, cell(key), options.site);
    if (leads.length !== 1) {
      const why = leads.length ? `${key} matches ${leads.length} leads (one per site); pass --site` : `no lead has this ${key}`;
      result.unmatched.push({ line, message: why });
      continue;
    }
    result.matched++;
    ready.push({ leadId: leads[0]!.id, ...parsed, source: 'import', recordedAt: options.nowMs });
  }
  if (options.dryRun || (result.invalid.length && !options.skipInvalid)) return result;
  for (const outcome of ready) await store.recordOutcome(outcome);
  result.written = true;
  return result;
}

async function findLeads(store: Store, key: KeyColumn, value: string, site: string | undefined): Promise<Lead[]> {
  if (key === 'lead_id') {
    const lead = await store.getLead(value);
    return lead && (site === undefined || lead.site === site) ? [lead] : [];
  }
  return store.findLeadsByUser(value, { ignoreCase: key === 'email', ...(site === undefined ? {} : { site }) });
}
