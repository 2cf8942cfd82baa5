import { uuidv7 } from '@inkling/core';
import type { AnyEvent } from '@inkling/core';
import { leaveAccount } from './accounts.js';
import { RESET_PROFILE } from './profiles.js';
import { execute, query, queryOne } from './sql.js';
import type { Dialect, Work } from './sql.js';
import type { EventInput } from './types.js';

/** The user an event claims to come from: `identify`'s `userId`, else the event's `user`. */
export function getClaim(event: AnyEvent): string | undefined {
  return event.type === 'identify' ? event.props.userId : event.user;
}

/**
 * The texts of the identity notes on a lead's timeline. A note's text is part of its unique key (a repeated claim
 * adds nothing, a merge drops a note the known lead already has).
 */
export const IDENTITY_NOTES = {
  identified: (visitor: string, claim: string) => `visitor ${visitor} identified as ${claim}`,
  conflict: (visitor: string, claim: string, kept: string) => `visitor ${visitor} claimed to be ${claim}; kept as ${kept}`,
  joined: (visitor: string, claim: string) => `visitor ${visitor} identified as ${claim}; their anonymous history joined this lead`,
};

/**
 * Identity notes kept per lead; the oldest beyond it are dropped and counted on the lead. 100: a person's devices and
 * accounts fit many times over, while one visitor cycling through user ids (2,000 claims made a 768 KB timeline)
 * costs a lead page at most about 100 short lines.
 */
export const MAX_NOTES_PER_LEAD = 100;

/**
 * Links each new event's visitor to a lead, inside the batch's transaction, and returns the leads touched in the
 * order first touched. The rules of `Store.insertEvents`: first link wins, an anonymous history joins the known
 * lead, and two known leads are never merged automatically (a conflicting claim is only noted).
 *
 * `links` holds the batch's visitors already linked (PostgreSQL read them `FOR SHARE`, so no other receiver can move
 * them until this transaction ends) and is kept up to date here. Races with other receivers end in one of two ways:
 * a visitor linked meanwhile is found after waiting for the other transaction, and a user's lead created meanwhile
 * raises a unique violation on which the whole batch runs again. A visitor's claim, once resolved, is not resolved
 * again in the batch (its lead has a user, and only anonymous leads move), which saves a locking read per event.
 */
export function* resolveLeads(
  d: Dialect,
  site: string,
  now: number,
  events: readonly EventInput[],
  links: Map<string, string>,
): Work<string[]> {
  const claimed = new Map<string, string>();
  const touched = new Set<string>();
  for (const { event, ts } of events) {
    const claim = getClaim(event);
    const key = claim === undefined ? undefined : `${event.visitor}\n${claim}`;
    let leadId = key === undefined ? undefined : claimed.get(key);
    leadId ??= yield* resolveLead(d, { site, now, links, visitor: event.visitor, claim, at: ts });
    if (key !== undefined) claimed.set(key, leadId);
    touched.add(leadId);
  }
  return [...touched];
}

interface Claim {
  site: string;
  now: number;
  links: Map<string, string>;
  visitor: string;
  claim: string | undefined;
  /** The event's time: notes carry it, so they sit in the right place on the timeline. */
  at: number;
}

const getUserLead = (site: string, userId: string) =>
  queryOne<{ id: string }>('SELECT id FROM leads WHERE site = $1 AND user_id = $2', site, userId);

function* resolveLead(d: Dialect, c: Claim): Work<string> {
  const { site, now, links, visitor, claim } = c;
  let linked = links.get(visitor);
  if (linked === undefined) {
    const known = claim === undefined ? undefined : (yield* getUserLead(site, claim))?.id;
    const leadId = known ?? uuidv7(now);
    const inserted = yield* execute(
      'INSERT INTO visitors (site, visitor, lead_id, linked_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
      site,
      visitor,
      leadId,
      now,
    );
    if (inserted === 1) {
      if (!known)
        yield* execute(
          'INSERT INTO leads (id, site, user_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)',
          leadId,
          site,
          claim ?? null,
          now,
        );
      links.set(visitor, leadId);
      if (claim !== undefined) yield* addNote(c, leadId, known ? 'linked' : 'identified', IDENTITY_NOTES.identified(visitor, claim));
      return leadId;
    }
    // Another receiver linked this visitor first; the insert waited for its commit, so its row is visible now.
    linked = (yield* queryOne<{ lead_id: string }>(
      `SELECT lead_id FROM visitors WHERE site = $1 AND visitor = $2${d.forShare}`,
      site,
      visitor,
    ))!.lead_id;
    links.set(visitor, linked);
  }
  if (claim === undefined) return linked;

  const lead = yield* queryOne<{ id: string; user_id: string | null }>(`SELECT id, user_id FROM leads WHERE id = $1${d.forUpdate}`, linked);
  if (!lead || lead.user_id === claim) return linked;
  if (lead.user_id !== null) {
    yield* addNote(c, lead.id, 'identity_conflict', IDENTITY_NOTES.conflict(visitor, claim, lead.user_id));
    return lead.id;
  }
  const known = (yield* getUserLead(site, claim))?.id;
  if (!known) {
    yield* execute('UPDATE leads SET user_id = $1, updated_at = $2 WHERE id = $3', claim, now, lead.id);
    yield* addNote(c, lead.id, 'identified', IDENTITY_NOTES.identified(visitor, claim));
    return lead.id;
  }
  yield* joinKnownLead(links, lead.id, known);
  // The anonymous lead's account membership goes to the known lead unless it has one of its own.
  yield* leaveAccount(d, lead.id, now, known);
  yield* addNote(c, known, 'linked', IDENTITY_NOTES.joined(visitor, claim));
  return known;
}

/** The anonymous history joins the known lead: its visitors, notes and messages move, the anonymous lead goes. */
function* joinKnownLead(links: Map<string, string>, anonymous: string, known: string): Work<void> {
  const moved = yield* query<{ visitor: string }>(
    'UPDATE visitors SET lead_id = $1 WHERE lead_id = $2 RETURNING visitor',
    known,
    anonymous,
  );
  for (const { visitor } of moved) links.set(visitor, known);
  // A note the known lead already has (same kind and text) is dropped rather than doubled.
  yield* execute(
    `UPDATE lead_notes SET lead_id = $1 WHERE lead_id = $2
       AND NOT EXISTS (SELECT 1 FROM lead_notes k WHERE k.lead_id = $1 AND k.kind = lead_notes.kind AND k.text = lead_notes.text)`,
    known,
    anonymous,
  );
  yield* execute('DELETE FROM lead_notes WHERE lead_id = $1', anonymous);
  yield* execute('UPDATE outbox SET lead_id = $1 WHERE lead_id = $2', known, anonymous);
  // An outcome recorded on the anonymous lead follows it, unless the known lead has its own.
  yield* execute(
    'UPDATE outcomes SET lead_id = $1 WHERE lead_id = $2 AND NOT EXISTS (SELECT 1 FROM outcomes WHERE lead_id = $1)',
    known,
    anonymous,
  );
  yield* execute('DELETE FROM outcomes WHERE lead_id = $1', anonymous);
  yield* execute('DELETE FROM leads WHERE id = $1', anonymous);
  // The known lead's snapshot lacks the anonymous history (and the two pending lists cannot be told apart by seq):
  // it is rebuilt from all the lead's events by the scoring worker. A merge happens once per anonymous visitor.
  yield* execute(`UPDATE leads SET ${RESET_PROFILE} WHERE id = $1`, known);
}

/** Adds a note (a repeated one adds nothing), then drops the lead's oldest beyond {@link MAX_NOTES_PER_LEAD}. */
function* addNote(c: Claim, leadId: string, kind: string, text: string): Work<void> {
  const added = yield* execute(
    'INSERT INTO lead_notes (lead_id, at, kind, visitor, text) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING',
    leadId,
    c.at,
    kind,
    c.visitor,
    text,
  );
  if (added === 0) return;
  const count = (yield* queryOne<{ n: number }>('SELECT count(*) AS n FROM lead_notes WHERE lead_id = $1', leadId))!.n;
  if (count <= MAX_NOTES_PER_LEAD) return;
  const dropped = yield* execute(
    'DELETE FROM lead_notes WHERE seq IN (SELECT seq FROM lead_notes WHERE lead_id = $1 ORDER BY at, seq LIMIT $2)',
    leadId,
    count - MAX_NOTES_PER_LEAD,
  );
  if (dropped === 0) return;
  yield* execute('UPDATE leads SET notes_dropped = notes_dropped + $1 WHERE id = $2', dropped, leadId);
}
