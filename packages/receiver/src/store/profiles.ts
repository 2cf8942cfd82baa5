// Each lead's profile snapshot: what scoring folded so far, so a score costs the events stored since, not the lead's
// history. Core's applyEvent gives the same profile whatever order events come in, and a snapshot plus the rest equals
// one fold of all, so folding only what is new is exact, late and out-of-order events included.
//
// What is new is a list of seqs on the lead (`profile_pending`), appended under the lead's row lock in the batch's own
// transaction, rather than "every event after the last seq folded": on PostgreSQL a seq is handed out when a row is
// inserted, not when its transaction commits, so a batch can commit after a later seq was already folded, and a
// watermark would skip it for ever. A rebuild (no snapshot yet, another model, an erasure or merge) folds the lead's
// events minus the pending ones, a page at a time, then the pending list: every event is folded exactly once.
import type { Profile } from '@inkling/core';
import { EVENT_COLUMNS, toStoredEvent } from './rows.js';
import type { EventRow } from './rows.js';
import { execute, query, queryOne } from './sql.js';
import type { Dialect, SqlDatabase, Work } from './sql.js';
import type { LeadProfile, ProfileUpdate, Store } from './types.js';

const DAY_MS = 864e5;

/**
 * Drops a lead's snapshot, to be rebuilt from its events by the scoring worker: for changes that take events away
 * from a lead or give it another visitor's history (an erasure, an identity merge). Pending seqs stay: those events
 * are left out of the rebuild and folded after it.
 */
export const RESET_PROFILE = 'profile = NULL, profile_model = NULL, profile_seq = 0, profile_visitor = NULL, profile_gen = profile_gen + 1';

const json = <T>(value: unknown): T => (typeof value === 'string' ? (JSON.parse(value) as T) : (value as T));

interface ProfileRow {
  profile: unknown;
  profile_model: string | null;
  profile_seq: number;
  profile_visitor: string | null;
  profile_pending: unknown;
  profile_gen: number;
}

function toLeadProfile(row: ProfileRow): LeadProfile {
  const visitor = row.profile_visitor;
  return {
    profile: row.profile === null ? null : json<Profile>(row.profile),
    model: row.profile_model,
    seq: Number(row.profile_seq),
    rebuild: visitor === null ? null : { visitor, seq: Number(row.profile_seq) },
    pending: json<number[]>(row.profile_pending).map(Number),
    generation: Number(row.profile_gen),
  };
}

/** The next page of a rebuild: visitor by visitor in id order, by seq within one, pending events left out. */
function* getRebuildEvents(d: Dialect, leadId: string, after: { visitor: string; seq: number }, limit: number): Work<EventRow[]> {
  const visitors = yield* query<{ site: string; visitor: string }>(
    'SELECT site, visitor FROM visitors WHERE lead_id = $1 AND visitor >= $2 ORDER BY visitor',
    leadId,
    after.visitor,
  );
  const rows: EventRow[] = [];
  for (const { site, visitor } of visitors) {
    if (rows.length >= limit) break;
    // The pending list is read in the same statement as the events: one consistent view of both.
    rows.push(
      ...(yield* query<EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM events e JOIN leads l ON l.id = $1
         WHERE e.site = $2 AND e.visitor = $3 AND e.seq > $4 AND NOT e.bot AND e.seq NOT IN ${d.jsonNumbers('l.profile_pending')}
         ORDER BY e.seq LIMIT $5`,
        leadId,
        site,
        visitor,
        visitor === after.visitor ? after.seq : 0,
        limit - rows.length,
      )),
    );
  }
  return rows;
}

/** Writes a snapshot, while it is still at the generation it was read at; true when it did. */
export function* writeProfile(d: Dialect, u: ProfileUpdate): Work<boolean> {
  const written = yield* execute(
    `UPDATE leads SET profile = $2, profile_model = $3, profile_seq = $4, profile_visitor = $5, profile_pending = ${d.jsonWithout('profile_pending', 6)}
     WHERE id = $1 AND profile_gen = $7`,
    u.leadId,
    JSON.stringify(u.profile),
    u.model,
    u.seq,
    u.rebuild?.visitor ?? null,
    JSON.stringify(u.folded),
    u.generation,
  );
  return written > 0;
}

/**
 * Appends the batch's new events to their leads' pending lists. `leadOf` maps each event (by index) to its lead;
 * runs after the leads were locked and marked dirty in the same transaction.
 */
export function* addPending(d: Dialect, seqs: readonly number[], leadOf: (index: number) => string | undefined): Work<void> {
  const byLead = new Map<string, number[]>();
  seqs.forEach((seq, i) => {
    const leadId = leadOf(i);
    if (leadId !== undefined) (byLead.get(leadId) ?? byLead.set(leadId, []).get(leadId)!).push(seq);
  });
  for (const [leadId, list] of byLead) {
    yield* execute(`UPDATE leads SET profile_pending = ${d.jsonAppend('profile_pending', 2)} WHERE id = $1`, leadId, JSON.stringify(list));
  }
}

/**
 * A snapshot without the events before `cutoff`: the UTC days wholly before it go; `null` (rebuild) when the cutoff
 * falls inside a day the snapshot holds, whose events before and after the cutoff it cannot tell apart.
 */
export function trimProfile(profile: Profile, cutoff: number): Profile | null {
  const firstKept = Math.floor(cutoff / DAY_MS);
  if (cutoff % DAY_MS !== 0 && Object.hasOwn(profile.d, String(firstKept))) return null;
  const d: Profile['d'] = {};
  for (const day in profile.d) if (Number(day) >= firstKept) d[day] = profile.d[day]!;
  return { ...profile, d };
}

/** After a retention delete: the affected leads' snapshots lose the deleted days, or are dropped to be rebuilt. */
export function* trimProfiles(leadIds: readonly string[], cutoff: number): Work<void> {
  for (const id of leadIds) {
    const row = yield* queryOne<{ profile: unknown }>('SELECT profile FROM leads WHERE id = $1 AND profile IS NOT NULL', id);
    if (!row) continue;
    const trimmed = trimProfile(json<Profile>(row.profile), cutoff);
    if (trimmed === null) yield* execute(`UPDATE leads SET ${RESET_PROFILE} WHERE id = $1`, id);
    else yield* execute('UPDATE leads SET profile = $2, profile_gen = profile_gen + 1 WHERE id = $1', id, JSON.stringify(trimmed));
  }
}

type ProfileOps = Pick<Store, 'getLeadProfile' | 'getProfileEvents' | 'saveProfile' | 'markModelChanged'>;

/** The snapshot queries and writes scoring uses. */
export function createProfileOps(db: SqlDatabase): ProfileOps {
  const d = db.dialect;
  return {
    getLeadProfile: (leadId) =>
      db.run(function* () {
        const row = yield* queryOne<ProfileRow>(
          'SELECT profile, profile_model, profile_seq, profile_visitor, profile_pending, profile_gen FROM leads WHERE id = $1',
          leadId,
        );
        return row && toLeadProfile(row);
      }, 'single'),
    getProfileEvents: (leadId, profileQuery) =>
      db.run(function* () {
        if ('seqs' in profileQuery) {
          if (profileQuery.seqs.length === 0) return [];
          const rows = yield* query<EventRow>(
            `SELECT ${EVENT_COLUMNS} FROM events e WHERE ${d.inList('e.seq', 1, 'bigint')} AND NOT e.bot ORDER BY e.seq`,
            [...profileQuery.seqs],
          );
          return rows.map(toStoredEvent);
        }
        return (yield* getRebuildEvents(d, leadId, profileQuery.after, profileQuery.limit)).map(toStoredEvent);
      }, 'single'),
    saveProfile: (update) =>
      db.run(function* () {
        const written = yield* writeProfile(d, update);
        yield* execute('UPDATE leads SET claimed_until = NULL WHERE id = $1', update.leadId);
        return written;
      }, 'transaction'),
    markModelChanged: (model) =>
      db.run(
        () =>
          execute(
            'UPDATE leads SET dirty = true, dirty_seq = dirty_seq + 1 WHERE NOT dirty AND (profile_model IS NULL OR profile_model <> $1)',
            model,
          ),
        'sweep',
      ),
  };
}
