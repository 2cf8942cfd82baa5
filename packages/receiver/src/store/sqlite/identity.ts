import type { Database } from 'better-sqlite3';
import { uuidv7 } from '@inkling/core';
import { IDENTITY_NOTES } from '../identity.js';

interface LeadUserRow {
  id: string;
  user_id: string | null;
}

/**
 * Resolves the lead of a visitor inside the caller's transaction, applying the identity rules of
 * `Store.insertEvents`: first link wins, an anonymous history joins the known lead, and two known leads are never
 * merged automatically (a conflicting claim is only noted).
 */
export function createIdentity(db: Database): (site: string, visitor: string, claim: string | undefined, at: number, now: number) => string {
  const getVisitor = db.prepare<[string, string], { lead_id: string }>('SELECT lead_id FROM visitors WHERE site = ? AND visitor = ?');
  const getLead = db.prepare<[string], LeadUserRow>('SELECT id, user_id FROM leads WHERE id = ?');
  const getUserLead = db.prepare<[string, string], LeadUserRow>('SELECT id, user_id FROM leads WHERE site = ? AND user_id = ?');
  const insertLead = db.prepare('INSERT INTO leads (id, site, user_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?)');
  const insertVisitor = db.prepare('INSERT INTO visitors (site, visitor, lead_id, linked_at) VALUES (?, ?, ?, ?)');
  const setUser = db.prepare('UPDATE leads SET user_id = ?, updated_at = ? WHERE id = ?');
  const moveVisitors = db.prepare('UPDATE visitors SET lead_id = ? WHERE lead_id = ?');
  const moveNotes = db.prepare('UPDATE OR IGNORE lead_notes SET lead_id = ? WHERE lead_id = ?');
  const moveMessages = db.prepare('UPDATE outbox SET lead_id = ? WHERE lead_id = ?');
  const deleteNotes = db.prepare('DELETE FROM lead_notes WHERE lead_id = ?');
  const deleteLead = db.prepare('DELETE FROM leads WHERE id = ?');
  const insertNote = db.prepare('INSERT OR IGNORE INTO lead_notes (lead_id, at, kind, visitor, text) VALUES (?, ?, ?, ?, ?)');

  return (site, visitor, claim, at, now) => {
    // Notes carry the event's time, so they sit in the right place on the timeline.
    const note = (leadId: string, kind: string, text: string): unknown => insertNote.run(leadId, at, kind, visitor, text);
    const link = getVisitor.get(site, visitor);
    if (!link) {
      const known = claim === undefined ? undefined : getUserLead.get(site, claim);
      const leadId = known?.id ?? uuidv7(now);
      if (!known) insertLead.run(leadId, site, claim ?? null, now, now);
      insertVisitor.run(site, visitor, leadId, now);
      if (claim !== undefined) note(leadId, known ? 'linked' : 'identified', IDENTITY_NOTES.identified(visitor, claim));
      return leadId;
    }
    if (claim === undefined) return link.lead_id;
    const lead = getLead.get(link.lead_id);
    if (!lead || lead.user_id === claim) return link.lead_id;
    if (lead.user_id !== null) {
      note(lead.id, 'identity_conflict', IDENTITY_NOTES.conflict(visitor, claim, lead.user_id));
      return lead.id;
    }
    const known = getUserLead.get(site, claim);
    if (!known) {
      setUser.run(claim, now, lead.id);
      note(lead.id, 'identified', IDENTITY_NOTES.identified(visitor, claim));
      return lead.id;
    }
    // The anonymous history joins the known lead: its visitors, notes and messages move, the anonymous lead goes.
    moveVisitors.run(known.id, lead.id);
    moveNotes.run(known.id, lead.id);
    deleteNotes.run(lead.id);
    moveMessages.run(known.id, lead.id);
    deleteLead.run(lead.id);
    note(known.id, 'linked', IDENTITY_NOTES.joined(visitor, claim));
    return known.id;
  };
}
