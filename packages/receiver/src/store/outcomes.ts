import { LEAD_COLUMNS, toLead } from './rows.js';
import { execute, query, queryOne } from './sql.js';
import type { SqlDatabase } from './sql.js';
import type { Outcome, OutcomeInput, Store } from './types.js';

type OutcomeOps = Pick<Store, 'recordOutcome' | 'listOutcomes' | 'findLeadsByUser' | 'deleteOutcomesBefore'>;

interface OutcomeRow {
  lead_id: string;
  site: string;
  outcome: Outcome['outcome'];
  at: number | string;
  value: number | null;
  note: string | null;
  source: Outcome['source'];
  recorded_at: number | string;
}

const OUTCOME_COLUMNS = 'lead_id, site, outcome, at, value, note, source, recorded_at';

function toOutcome(row: OutcomeRow): Outcome {
  return {
    leadId: row.lead_id,
    site: row.site,
    outcome: row.outcome,
    at: Number(row.at),
    value: row.value === null ? null : Number(row.value),
    note: row.note,
    source: row.source,
    recordedAt: Number(row.recorded_at),
  };
}

/**
 * One statement: the lead's site comes from the lead, and a missing lead inserts nothing. A later outcome replaces
 * the earlier one (a CRM re-export, a lost deal won back).
 */
const UPSERT = `INSERT INTO outcomes (${OUTCOME_COLUMNS})
  SELECT id, site, $2, $3, $4, $5, $6, $7 FROM leads WHERE id = $1
  ON CONFLICT (lead_id) DO UPDATE SET outcome = excluded.outcome, at = excluded.at, value = excluded.value, note = excluded.note,
    source = excluded.source, recorded_at = excluded.recorded_at
  RETURNING ${OUTCOME_COLUMNS}`;

/** Outcomes: recorded from the lead API or a CRM import, read by calibration, swept by retention. */
export function createOutcomeOps(db: SqlDatabase): OutcomeOps {
  const d = db.dialect;
  return {
    recordOutcome: (o: OutcomeInput) =>
      db.run(function* () {
        const row = yield* queryOne<OutcomeRow>(UPSERT, o.leadId, o.outcome, o.at, o.value ?? null, o.note ?? null, o.source, o.recordedAt);
        return row && toOutcome(row);
      }, 'single'),
    listOutcomes: ({ site } = {}) =>
      db.run(function* () {
        const rows =
          site === undefined
            ? yield* query<OutcomeRow>(`SELECT ${OUTCOME_COLUMNS} FROM outcomes ORDER BY lead_id`)
            : yield* query<OutcomeRow>(`SELECT ${OUTCOME_COLUMNS} FROM outcomes WHERE site = $1 ORDER BY lead_id`, site);
        return rows.map(toOutcome);
      }, 'single'),
    findLeadsByUser: (userId, { site, ignoreCase = false } = {}) =>
      db.run(function* () {
        const match = ignoreCase ? 'lower(l.user_id) = lower($1)' : 'l.user_id = $1';
        const sql = `SELECT ${LEAD_COLUMNS}, ${d.visitorsOf('l.id')} AS visitors FROM leads l WHERE ${match}${site === undefined ? '' : ' AND l.site = $2'} ORDER BY l.id`;
        const rows =
          site === undefined
            ? yield* query<Record<string, unknown>>(sql, userId)
            : yield* query<Record<string, unknown>>(sql, userId, site);
        return rows.map(toLead);
      }, 'single'),
    deleteOutcomesBefore: (cutoff) => db.run(() => execute('DELETE FROM outcomes WHERE at < $1', cutoff), 'sweep'),
  };
}
