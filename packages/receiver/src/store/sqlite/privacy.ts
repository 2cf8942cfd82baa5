import type { Database } from 'better-sqlite3';
import type { EraseResult, Store } from '../types.js';

type PrivacyOps = Pick<Store, 'erase' | 'deleteEventsBefore' | 'deleteDedupeKeysBefore'>;

/** Erasure of one visitor and the retention sweeps. */
export function createPrivacyOps(db: Database): PrivacyOps {
  const getVisitor = db.prepare<[string, string], { lead_id: string }>('SELECT lead_id FROM visitors WHERE site = ? AND visitor = ?');
  const deleteEvents = db.prepare('DELETE FROM events WHERE site = ? AND visitor = ?');
  const deleteVisitor = db.prepare('DELETE FROM visitors WHERE site = ? AND visitor = ?');
  const deleteVisitorNotes = db.prepare('DELETE FROM lead_notes WHERE lead_id = ? AND visitor = ?');
  const countVisitors = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM visitors WHERE lead_id = ?');
  const deleteLead = db.prepare('DELETE FROM leads WHERE id = ?');
  const deleteLeadNotes = db.prepare('DELETE FROM lead_notes WHERE lead_id = ?');
  const deleteAllMessages = db.prepare('DELETE FROM outbox WHERE lead_id = ?');
  const deletePendingMessages = db.prepare("DELETE FROM outbox WHERE lead_id = ? AND status = 'pending'");
  const markDirty = db.prepare('UPDATE leads SET dirty = 1, dirty_seq = dirty_seq + 1 WHERE id = ?');

  const erase = db.transaction((site: string, visitor: string): EraseResult => {
    const events = deleteEvents.run(site, visitor).changes;
    const link = getVisitor.get(site, visitor);
    if (!link) return { events, leads: 0, messages: 0 };
    deleteVisitor.run(site, visitor);
    deleteVisitorNotes.run(link.lead_id, visitor);
    if (countVisitors.get(link.lead_id)!.n > 0) {
      // Another device of the same known user remains: keep the lead, drop what this visitor's events caused.
      const messages = deletePendingMessages.run(link.lead_id).changes;
      markDirty.run(link.lead_id);
      return { events, leads: 0, messages };
    }
    const messages = deleteAllMessages.run(link.lead_id).changes;
    deleteLeadNotes.run(link.lead_id);
    return { events, leads: deleteLead.run(link.lead_id).changes, messages };
  });

  const markOld = db.prepare(
    `UPDATE leads SET dirty = 1, dirty_seq = dirty_seq + 1 WHERE id IN (
       SELECT v.lead_id FROM events e JOIN visitors v ON v.site = e.site AND v.visitor = e.visitor WHERE e.ts < ?)`,
  );
  const deleteOld = db.prepare('DELETE FROM events WHERE ts < ?');
  const deleteOldEvents = db.transaction((cutoff: number) => {
    markOld.run(cutoff);
    return deleteOld.run(cutoff).changes;
  });
  const deleteKeys = db.prepare('DELETE FROM event_keys WHERE seen_at < ?');

  return {
    erase: async (site, visitor) => erase.immediate(site, visitor),
    deleteEventsBefore: async (cutoff) => deleteOldEvents.immediate(cutoff),
    deleteDedupeKeysBefore: async (cutoff) => deleteKeys.run(cutoff).changes,
  };
}
