import type { Database } from 'better-sqlite3';
import type { IntentLevel } from '@inkling/core';
import type { DirtyLead, LeadNote, Store } from '../types.js';
import { toLead } from '../rows.js';
import type { LeadRow } from '../rows.js';

const LEAD_COLUMNS = `l.id, l.site, l.user_id, l.score, l.level, l.previous, l.reasons, l.model, l.created_at, l.updated_at, l.scored_at,
  (SELECT json_group_array(v.visitor) FROM visitors v WHERE v.lead_id = l.id) AS visitors`;

type LeadOps = Pick<Store, 'claimDirtyLeads' | 'saveScore' | 'markStaleLeads' | 'listLeads' | 'getLead' | 'getLeadNotes'>;

/** Leads: scoring claims, saved scores (with their webhooks, atomically) and the queries of the lead API. */
export function createLeadOps(db: Database): LeadOps {
  const selectDirty = db.prepare<[number, number], { id: string; site: string; level: IntentLevel; dirty_seq: number }>(
    'SELECT id, site, level, dirty_seq FROM leads WHERE dirty = 1 AND (claimed_until IS NULL OR claimed_until <= ?) ORDER BY updated_at LIMIT ?',
  );
  const lease = db.prepare('UPDATE leads SET claimed_until = ? WHERE id = ?');
  const claim = db.transaction((limit: number, now: number, leaseMs: number): DirtyLead[] => {
    const rows = selectDirty.all(now, limit);
    for (const row of rows) lease.run(now + leaseMs, row.id);
    return rows.map((r) => ({ id: r.id, site: r.site, level: r.level, dirtySeq: r.dirty_seq }));
  });

  const updateScore = db.prepare(
    `UPDATE leads SET score = @score, level = @level, previous = CASE WHEN level = @level THEN previous ELSE level END, reasons = @reasons, model = @model,
       scored_at = @scoredAt, updated_at = CASE WHEN level = @level THEN updated_at ELSE @scoredAt END,
       dirty = CASE WHEN dirty_seq = @dirtySeq THEN 0 ELSE 1 END, claimed_until = NULL
     WHERE id = @leadId AND level = @from`,
  );
  const insertMessage = db.prepare(
    `INSERT OR IGNORE INTO outbox (id, endpoint, type, payload, lead_id, site, next_attempt_at, created_at, updated_at)
     VALUES (@id, @endpoint, @type, @payload, @leadId, @site, @nextAttemptAt, @createdAt, @createdAt)`,
  );
  const save = db.transaction((update: Parameters<Store['saveScore']>[0]) => {
    const { messages, signals, reasons, ...rest } = update;
    if (updateScore.run({ ...rest, reasons: JSON.stringify(reasons) }).changes === 0) return;
    for (const message of signals ?? []) insertMessage.run(message);
    if (update.level === update.from) return;
    for (const message of messages) insertMessage.run(message);
  });

  const markStale = (levels: readonly IntentLevel[]) =>
    db.prepare(
      `UPDATE leads SET dirty = 1, dirty_seq = dirty_seq + 1
       WHERE dirty = 0 AND level IN (${levels.map(() => '?').join(', ')}) AND (scored_at IS NULL OR scored_at < ?)`,
    );

  const getOne = db.prepare<[string], LeadRow>(`SELECT ${LEAD_COLUMNS} FROM leads l WHERE l.id = ?`);
  const notes = db.prepare<[string], LeadNote>('SELECT at, kind, text FROM lead_notes WHERE lead_id = ? ORDER BY at, rowid');

  return {
    claimDirtyLeads: async (limit, now, leaseMs) => claim.immediate(limit, now, leaseMs),
    saveScore: async (update) => save.immediate(update),
    markStaleLeads: async (levels, scoredBefore) => (levels.length ? markStale(levels).run(...levels, scoredBefore).changes : 0),
    listLeads: async ({ site, levels, limit, after }) => {
      const where: string[] = [];
      const params: (string | number)[] = [];
      if (site !== undefined) {
        where.push('l.site = ?');
        params.push(site);
      }
      if (levels?.length) {
        where.push(`l.level IN (${levels.map(() => '?').join(', ')})`);
        params.push(...levels);
      }
      if (after) {
        where.push('(l.score < ? OR (l.score = ? AND l.id > ?))');
        params.push(after.score, after.score, after.id);
      }
      const sql = `SELECT ${LEAD_COLUMNS} FROM leads l ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY l.score DESC, l.id LIMIT ?`;
      return db.prepare<unknown[], LeadRow>(sql).all(...params, limit).map(toLead);
    },
    getLead: async (id) => {
      const row = getOne.get(id);
      return row && toLead(row);
    },
    getLeadNotes: async (id) => notes.all(id),
  };
}
