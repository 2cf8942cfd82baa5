import { uuidv7 } from '@inkling/core';
import { IDENTITY_NOTES } from '../identity.js';
import type { Queryable } from './pool.js';

/** Resolves one event's visitor to its lead; see {@link createIdentity}. */
export type ResolveLead = (visitor: string, claim: string | undefined, at: number) => Promise<string>;

/**
 * Resolves visitors to leads inside the caller's transaction, applying the identity rules of `Store.insertEvents`
 * exactly as the SQLite store does: first link wins, an anonymous history joins the known lead, and two known
 * leads are never merged automatically (a conflicting claim is only noted).
 *
 * `links` holds the batch's visitors already linked (the caller read them `FOR SHARE`, so no other receiver can
 * move them until this transaction ends) and is kept up to date here. Races with other receivers end in one of
 * two ways: a visitor linked meanwhile is found after waiting for the other transaction, and a user's lead created
 * meanwhile raises a unique violation that `transaction()` answers by running the whole batch again.
 */
export function createIdentity(client: Queryable, site: string, now: number, links: Map<string, string>): ResolveLead {
  const getUserLead = async (userId: string) =>
    (await client.query<{ id: string }>('SELECT id FROM leads WHERE site = $1 AND user_id = $2', [site, userId])).rows[0]?.id;

  async function link(visitor: string, leadId: string): Promise<string | undefined> {
    const inserted = await client.query('INSERT INTO visitors (site, visitor, lead_id, linked_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [site, visitor, leadId, now]);
    if (inserted.rowCount === 1) return undefined;
    // Another receiver linked this visitor first; the insert waited for its commit, so its row is visible now.
    const { rows } = await client.query<{ lead_id: string }>('SELECT lead_id FROM visitors WHERE site = $1 AND visitor = $2 FOR SHARE', [site, visitor]);
    return rows[0]!.lead_id;
  }

  async function joinKnownLead(anonymous: string, known: string): Promise<void> {
    const moved = await client.query<{ visitor: string }>('UPDATE visitors SET lead_id = $1 WHERE lead_id = $2 RETURNING visitor', [known, anonymous]);
    for (const { visitor } of moved.rows) links.set(visitor, known);
    // A note the known lead already has (same kind and text) is dropped rather than doubled.
    await client.query(
      `UPDATE lead_notes n SET lead_id = $1 WHERE n.lead_id = $2
         AND NOT EXISTS (SELECT 1 FROM lead_notes k WHERE k.lead_id = $1 AND k.kind = n.kind AND k.text = n.text)`,
      [known, anonymous],
    );
    await client.query('DELETE FROM lead_notes WHERE lead_id = $1', [anonymous]);
    await client.query('UPDATE outbox SET lead_id = $1 WHERE lead_id = $2', [known, anonymous]);
    await client.query('DELETE FROM leads WHERE id = $1', [anonymous]);
  }

  return async (visitor, claim, at) => {
    // Notes carry the event's time, so they sit in the right place on the timeline.
    const note = (leadId: string, kind: string, text: string) =>
      client.query('INSERT INTO lead_notes (lead_id, at, kind, visitor, text) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING', [leadId, at, kind, visitor, text]);

    let linked = links.get(visitor);
    if (linked === undefined) {
      const known = claim === undefined ? undefined : await getUserLead(claim);
      const leadId = known ?? uuidv7(now);
      linked = await link(visitor, leadId);
      if (linked === undefined) {
        if (!known) await client.query('INSERT INTO leads (id, site, user_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)', [leadId, site, claim ?? null, now]);
        links.set(visitor, leadId);
        if (claim !== undefined) await note(leadId, known ? 'linked' : 'identified', IDENTITY_NOTES.identified(visitor, claim));
        return leadId;
      }
      links.set(visitor, linked);
    }
    if (claim === undefined) return linked;

    const lead = (await client.query<{ id: string; user_id: string | null }>('SELECT id, user_id FROM leads WHERE id = $1 FOR UPDATE', [linked])).rows[0];
    if (!lead || lead.user_id === claim) return linked;
    if (lead.user_id !== null) {
      await note(lead.id, 'identity_conflict', IDENTITY_NOTES.conflict(visitor, claim, lead.user_id));
      return lead.id;
    }
    const known = await getUserLead(claim);
    if (!known) {
      await client.query('UPDATE leads SET user_id = $1, updated_at = $2 WHERE id = $3', [claim, now, lead.id]);
      await note(lead.id, 'identified', IDENTITY_NOTES.identified(visitor, claim));
      return lead.id;
    }
    await joinKnownLead(lead.id, known);
    await note(known, 'linked', IDENTITY_NOTES.joined(visitor, claim));
    return known;
  };
}
