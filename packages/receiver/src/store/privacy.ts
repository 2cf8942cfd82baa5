import { leaveAccount, markLeadAccountDirty } from './accounts.js';
import { RESET_PROFILE, trimProfiles } from './profiles.js';
import { execute, query, queryOne } from './sql.js';
import type { Dialect, SqlDatabase, Work } from './sql.js';
import type { EraseResult, Store } from './types.js';

type PrivacyOps = Pick<Store, 'erase' | 'deleteEventsBefore' | 'deleteDedupeKeysBefore'>;

function* erase(d: Dialect, site: string, visitor: string, now: number): Work<EraseResult> {
  // The visitor's row first: a batch of this visitor storing at the same moment either commits before the erasure
  // (and its events are erased too) or starts after it (a fresh visitor).
  const link = yield* queryOne<{ lead_id: string }>(
    `SELECT lead_id FROM visitors WHERE site = $1 AND visitor = $2${d.forUpdate}`,
    site,
    visitor,
  );
  const events = yield* execute('DELETE FROM events WHERE site = $1 AND visitor = $2', site, visitor);
  if (!link) return { events, leads: 0, messages: 0 };
  const leadId = link.lead_id;
  yield* queryOne(`SELECT id FROM leads WHERE id = $1${d.forUpdate}`, leadId);
  yield* execute('DELETE FROM visitors WHERE site = $1 AND visitor = $2', site, visitor);
  yield* execute('DELETE FROM lead_notes WHERE lead_id = $1 AND visitor = $2', leadId, visitor);
  const others = (yield* queryOne<{ n: number }>('SELECT count(*) AS n FROM visitors WHERE lead_id = $1', leadId))!.n;
  if (others > 0) {
    // Another device of the same known user remains: keep the lead, drop what this visitor's events caused.
    const messages = yield* execute("DELETE FROM outbox WHERE lead_id = $1 AND status = 'pending'", leadId);
    // Its snapshot still counts the erased events: dropped, and rebuilt from the other visitors' events.
    yield* execute(`UPDATE leads SET dirty = true, dirty_seq = dirty_seq + 1, ${RESET_PROFILE} WHERE id = $1`, leadId);
    // Its account is scored again now, without this visitor's events, and again once the lead is.
    yield* markLeadAccountDirty(leadId, now);
    return { events, leads: 0, messages };
  }
  // The lead goes: it leaves its account's aggregate (an account left without members goes too).
  yield* leaveAccount(d, leadId, now);
  const messages = yield* execute('DELETE FROM outbox WHERE lead_id = $1', leadId);
  yield* execute('DELETE FROM lead_notes WHERE lead_id = $1', leadId);
  yield* execute('DELETE FROM outcomes WHERE lead_id = $1', leadId);
  const leads = yield* execute('DELETE FROM leads WHERE id = $1', leadId);
  return { events, leads, messages };
}

function* deleteEventsBefore(d: Dialect, cutoff: number): Work<number> {
  // Leads locked in id order, so receivers sweeping at once (and batches marking leads) queue instead of deadlocking.
  const marked = yield* query<{ id: string }>(
    `WITH locked AS (
       SELECT id FROM leads WHERE id IN (SELECT v.lead_id FROM events e JOIN visitors v ON v.site = e.site AND v.visitor = e.visitor WHERE e.ts < $1)
       ORDER BY id${d.forUpdate})
     UPDATE leads SET dirty = true, dirty_seq = dirty_seq + 1 WHERE id IN (SELECT id FROM locked) RETURNING id`,
    cutoff,
  );
  const deleted = yield* execute('DELETE FROM events WHERE ts < $1', cutoff);
  yield* trimProfiles(marked.map((r) => r.id).sort(), cutoff);
  return deleted;
}

/** Erasure of one visitor and the retention sweeps. */
export function createPrivacyOps(db: SqlDatabase): PrivacyOps {
  const d = db.dialect;
  return {
    erase: (site, visitor) => db.run(() => erase(d, site, visitor, Date.now()), 'transaction'),
    deleteEventsBefore: (cutoff) => db.run(() => deleteEventsBefore(d, cutoff), 'sweep'),
    deleteDedupeKeysBefore: (cutoff) => db.run(() => execute('DELETE FROM event_keys WHERE seen_at < $1', cutoff), 'sweep'),
  };
}
