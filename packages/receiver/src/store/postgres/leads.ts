import type { Pool } from 'pg';
import type { IntentLevel } from '@inkling/core';
import type { LeadNote, ScoreUpdate, Store } from '../types.js';
import { toLead } from '../rows.js';
import type { LeadRow } from '../rows.js';
import { sweep, transaction } from './pool.js';
import type { Queryable } from './pool.js';

const LEAD_COLUMNS = `l.id, l.site, l.user_id, l.score, l.level, l.previous, l.reasons, l.model, l.created_at, l.updated_at, l.scored_at,
  ARRAY(SELECT v.visitor FROM visitors v WHERE v.lead_id = l.id ORDER BY v.visitor) AS visitors`;

/**
 * The score is written only when it was computed from a newer state than the saved one (`scored_seq`): a worker
 * whose lease ran out (a stall) and that saves after another receiver re-scored the lead cannot put an older score
 * back, nor one computed from a level the lead has left since (`from`). The lead stays dirty when events arrived
 * after the claim (`dirty_seq` moved on), as on SQLite. Under READ COMMITTED the UPDATE re-reads a row another
 * transaction changed before deciding, so no increment is lost.
 */
const UPDATE_SCORE = `UPDATE leads SET score = $2, level = $3, previous = CASE WHEN level = $3 THEN previous ELSE level END, reasons = $4::jsonb,
    model = $5, scored_at = $6, updated_at = CASE WHEN level = $3 THEN updated_at ELSE $6 END,
    dirty = (dirty_seq <> $7), scored_seq = $7, claimed_until = NULL
  WHERE id = $1 AND scored_seq < $7 AND level = $8`;

function scoreParams(update: ScoreUpdate): unknown[] {
  return [update.leadId, update.score, update.level, JSON.stringify(update.reasons), update.model, update.scoredAt, update.dirtySeq, update.from];
}

/**
 * Saves a score with its webhooks, enqueued only when the guarded UPDATE applied and the level changed. A second
 * receiver that scored the same transition (after the first's lease ran out) waits on the row lock the first UPDATE
 * took, then finds `scored_seq` or `level` moved on: its webhook is not enqueued again.
 */
async function saveWithMessages(client: Queryable, update: ScoreUpdate): Promise<void> {
  const { rowCount } = await client.query(UPDATE_SCORE, scoreParams(update));
  if (!rowCount) return;
  const m = [...(update.signals ?? []), ...(update.level === update.from ? [] : update.messages)];
  if (m.length === 0) return;
  await client.query(
    `INSERT INTO outbox (id, endpoint, type, payload, lead_id, site, next_attempt_at, created_at, updated_at)
     SELECT u.id, u.endpoint, u.type, u.payload, u.lead_id, u.site, u.next_attempt_at, u.created_at, u.created_at FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::bigint[])
       AS u(id, endpoint, type, payload, lead_id, site, next_attempt_at, created_at)
     ON CONFLICT DO NOTHING`,
    [m.map((x) => x.id), m.map((x) => x.endpoint), m.map((x) => x.type), m.map((x) => x.payload), m.map((x) => x.leadId), m.map((x) => x.site), m.map((x) => x.nextAttemptAt), m.map((x) => x.createdAt)],
  );
}

type LeadOps = Pick<Store, 'claimDirtyLeads' | 'saveScore' | 'markStaleLeads' | 'listLeads' | 'getLead' | 'getLeadNotes'>;

/** Leads: scoring claims, saved scores (with their webhooks, atomically) and the queries of the lead API. */
export function createLeadOps(pool: Pool): LeadOps {
  return {
    // SKIP LOCKED: a lead another receiver is claiming, or a batch is marking dirty, is left for the next round
    // instead of making this one wait.
    claimDirtyLeads: async (limit, now, leaseMs) => {
      const { rows } = await pool.query<{ id: string; site: string; level: IntentLevel; dirty_seq: number; updated_at: number }>({
        name: 'inkling_claim_leads',
        text: `WITH picked AS (
            SELECT id FROM leads WHERE dirty AND (claimed_until IS NULL OR claimed_until <= $1) ORDER BY updated_at LIMIT $2 FOR UPDATE SKIP LOCKED)
          UPDATE leads l SET claimed_until = $3 FROM picked WHERE l.id = picked.id RETURNING l.id, l.site, l.level, l.dirty_seq, l.updated_at`,
        values: [now, limit, now + leaseMs],
      });
      // RETURNING has no order: oldest first, as they were picked.
      rows.sort((a, b) => a.updated_at - b.updated_at);
      return rows.map((r) => ({ id: r.id, site: r.site, level: r.level, dirtySeq: r.dirty_seq }));
    },
    saveScore: async (update) => {
      // Most saves change nothing worth a webhook: one statement, its own transaction.
      if (update.messages.length === 0 && !update.signals?.length) await pool.query({ name: 'inkling_save_score', text: UPDATE_SCORE, values: scoreParams(update) });
      else await transaction(pool, (client) => saveWithMessages(client, update));
    },
    markStaleLeads: async (levels, scoredBefore) => {
      if (levels.length === 0) return 0;
      return sweep(
        pool,
        'UPDATE leads SET dirty = true, dirty_seq = dirty_seq + 1 WHERE NOT dirty AND level = ANY($1::text[]) AND (scored_at IS NULL OR scored_at < $2)',
        [levels, scoredBefore],
      );
    },
    listLeads: async ({ site, levels, limit, after }) => {
      const where: string[] = [];
      const params: unknown[] = [];
      const param = (value: unknown) => `$${params.push(value)}`;
      if (site !== undefined) where.push(`l.site = ${param(site)}`);
      if (levels?.length) where.push(`l.level = ANY(${param(levels)}::text[])`);
      if (after) where.push(`(l.score < ${param(after.score)} OR (l.score = $${params.length} AND l.id > ${param(after.id)}))`);
      const sql = `SELECT ${LEAD_COLUMNS} FROM leads l ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY l.score DESC, l.id LIMIT ${param(limit)}`;
      return (await pool.query<LeadRow>(sql, params)).rows.map(toLead);
    },
    getLead: async (id) => {
      const row = (await pool.query<LeadRow>(`SELECT ${LEAD_COLUMNS} FROM leads l WHERE l.id = $1`, [id])).rows[0];
      return row && toLead(row);
    },
    getLeadNotes: async (id) => (await pool.query<LeadNote>('SELECT at, kind, text FROM lead_notes WHERE lead_id = $1 ORDER BY at, seq', [id])).rows,
  };
}
