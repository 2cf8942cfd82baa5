import type { IntentLevel } from '@inkling/core';
import { ROUTING_TOP_TOPICS } from '../webhooks/routing.js';
import { markLeadAccountDirty } from './accounts.js';
import { writeProfile } from './profiles.js';
import { LEAD_COLUMNS, toLead } from './rows.js';
import { execute, query, queryOne } from './sql.js';
import type { Dialect, SqlDatabase, Work } from './sql.js';
import type { LeadNote, LeadQuery, ScoreUpdate, Store } from './types.js';

/**
 * The score is written only when it was computed from a newer state than the saved one (`scored_seq`): a worker
 * whose lease ran out (a stall) and that saves after another worker re-scored the lead cannot put an older score
 * back, nor one computed from a level the lead has left since (`from`). The lead stays dirty when events arrived
 * after the claim (`dirty_seq` moved on). On PostgreSQL under READ COMMITTED the UPDATE re-reads a row another
 * transaction changed before deciding, so no increment is lost.
 */
const UPDATE_SCORE = `UPDATE leads SET score = $2, level = $3, previous = CASE WHEN level = $3 THEN previous ELSE level END, reasons = $4,
    topics = $9, model = $5, scored_at = $6, updated_at = CASE WHEN level = $3 THEN updated_at ELSE $6 END,
    dirty = (dirty_seq <> $7), scored_seq = $7, claimed_until = NULL
  WHERE id = $1 AND scored_seq < $7 AND level = $8`;

const INSERT_MESSAGE = `INSERT INTO outbox (id, endpoint, type, payload, lead_id, site, next_attempt_at, created_at, updated_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) ON CONFLICT DO NOTHING`;

/**
 * Saves a score with its webhooks, enqueued only when the guarded UPDATE applied and the level changed. A second
 * worker that scored the same transition (after the first's lease ran out) waits on the row lock the first UPDATE
 * took, then finds `scored_seq` or `level` moved on: its webhook is not enqueued again. A score computed from a
 * snapshot is saved with it, and only while the snapshot is unchanged: after an erasure (or merge, or retention
 * sweep) the score would still count what was taken away, so the lead is released to be scored again instead.
 */
function* saveScore(d: Dialect, u: ScoreUpdate): Work<void> {
  const params = [
    u.leadId,
    u.score,
    u.level,
    JSON.stringify(u.reasons),
    u.model,
    u.scoredAt,
    u.dirtySeq,
    u.from,
    JSON.stringify(u.topics ?? []),
  ] as const;
  const applied = u.profile
    ? yield* execute(`${UPDATE_SCORE} AND profile_gen = $10`, ...params, u.profile.generation)
    : yield* execute(UPDATE_SCORE, ...params);
  if (applied === 0) {
    if (u.profile)
      yield* execute('UPDATE leads SET claimed_until = NULL WHERE id = $1 AND profile_gen <> $2', u.leadId, u.profile.generation);
    return;
  }
  // The UPDATE above holds the row: the snapshot's generation cannot move before this one.
  if (u.profile) yield* writeProfile(d, { leadId: u.leadId, ...u.profile });
  // The lead's account is scored from its members' snapshots: this one changed.
  yield* markLeadAccountDirty(u.leadId, u.scoredAt);
  // Signals (a conversion) go out whatever the level; level webhooks only when it changed.
  const messages = u.level === u.from ? (u.signals ?? []) : [...(u.signals ?? []), ...u.messages];
  for (const m of messages)
    yield* execute(INSERT_MESSAGE, m.id, m.endpoint, m.type, m.payload, m.leadId, m.site, m.nextAttemptAt, m.createdAt);
}

/** The oldest dirty leads not leased to another worker, leased until `until`. */
function* claimDirtyLeads(d: Dialect, limit: number, now: number, until: number): Work<Awaited<ReturnType<Store['claimDirtyLeads']>>> {
  const rows = yield* query<{ id: string; site: string; level: IntentLevel; dirty_seq: number; updated_at: number }>(
    `WITH picked AS (
       SELECT id FROM leads WHERE dirty AND (claimed_until IS NULL OR claimed_until <= $1) ORDER BY updated_at LIMIT $2${d.skipLocked})
     UPDATE leads SET claimed_until = $3 WHERE id IN (SELECT id FROM picked) RETURNING id, site, level, dirty_seq, updated_at`,
    now,
    limit,
    until,
  );
  // RETURNING has no order: oldest first, as they were picked.
  rows.sort((a, b) => a.updated_at - b.updated_at);
  return rows.map((r) => ({ id: r.id, site: r.site, level: r.level, dirtySeq: r.dirty_seq }));
}

/** Leads by score (highest first) then id, after the cursor, at the levels asked, researching the topic asked. */
function* listLeads(d: Dialect, { site, levels, topic, limit, after }: LeadQuery): Work<ReturnType<typeof toLead>[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  if (site !== undefined) where.push(`l.site = ${param(site)}`);
  if (levels?.length) where.push(d.inList('l.level', params.push(levels), 'text'));
  if (topic !== undefined) where.push(`${param(topic)} IN (${d.topTopics('l.topics', ROUTING_TOP_TOPICS)})`);
  if (after) where.push(`(l.score < ${param(after.score)} OR (l.score = $${params.length} AND l.id > ${param(after.id)}))`);
  const sql = `SELECT ${LEAD_COLUMNS}, ${d.visitorsOf('l.id')} AS visitors FROM leads l ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY l.score DESC, l.id LIMIT ${param(limit)}`;
  return (yield* query<Record<string, unknown>>(sql, ...params)).map(toLead);
}

/** Notes oldest first; with `before` or `limit`, the newest `limit` of those before `before`. */
function* getLeadNotes(id: string, { before, limit }: { before?: number; limit?: number }): Work<LeadNote[]> {
  if (before === undefined && limit === undefined)
    return yield* query<LeadNote>('SELECT at, kind, text FROM lead_notes WHERE lead_id = $1 ORDER BY at, seq', id);
  const newest = 'SELECT at, kind, text FROM lead_notes WHERE lead_id = $1 AND at < $2 ORDER BY at DESC, seq DESC';
  const cursor = before ?? Number.MAX_SAFE_INTEGER;
  const rows =
    limit === undefined ? yield* query<LeadNote>(newest, id, cursor) : yield* query<LeadNote>(`${newest} LIMIT $3`, id, cursor, limit);
  return rows.reverse();
}

type LeadOps = Pick<Store, 'claimDirtyLeads' | 'saveScore' | 'markStaleLeads' | 'listLeads' | 'getLead' | 'getLeadNotes'>;

/** Leads: scoring claims, saved scores (with their webhooks, atomically) and the queries of the lead API. */
export function createLeadOps(db: SqlDatabase): LeadOps {
  const d = db.dialect;
  return {
    claimDirtyLeads: (limit, now, leaseMs) => db.run(() => claimDirtyLeads(d, limit, now, now + leaseMs), 'single'),
    // A save without a snapshot or webhooks is one statement, with no transaction around it.
    // A save without a snapshot or webhooks is one statement (and the mark of its account, if any: a mark lost to a
    // crash between the two only delays the account's score to its next mark), with no transaction around it.
    saveScore: (update) =>
      db.run(
        () => saveScore(d, update),
        update.messages.length === 0 && !update.signals?.length && !update.profile ? 'single' : 'transaction',
      ),
    markStaleLeads: async (levels, scoredBefore) => {
      if (levels.length === 0) return 0;
      const mark = `UPDATE leads SET dirty = true, dirty_seq = dirty_seq + 1 WHERE NOT dirty AND ${d.inList('level', 1, 'text')} AND (scored_at IS NULL OR scored_at < $2)`;
      return db.run(() => execute(mark, levels, scoredBefore), 'sweep');
    },
    listLeads: (leadQuery) => db.run(() => listLeads(d, leadQuery), 'single'),
    getLead: (id) =>
      db.run(function* () {
        const row = yield* queryOne<Record<string, unknown>>(
          `SELECT ${LEAD_COLUMNS}, ${d.visitorsOf('l.id')} AS visitors FROM leads l WHERE l.id = $1`,
          id,
        );
        return row && toLead(row);
      }, 'single'),
    getLeadNotes: (id, notesQuery = {}) => db.run(() => getLeadNotes(id, notesQuery), 'single'),
  };
}
