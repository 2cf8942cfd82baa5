import { EVENT_COLUMNS, toStoredEvent } from './rows.js';
import type { EventRow } from './rows.js';
import { resolveAccounts } from './accounts.js';
import { resolveLeads } from './identity.js';
import { addPending } from './profiles.js';
import { query, queryOne } from './sql.js';
import type { SqlDatabase, Work } from './sql.js';
import type { InsertBatch, InsertResult, Store } from './types.js';

type EventOps = Pick<Store, 'insertEvents' | 'listEvents' | 'countEvents' | 'getLastSeen' | 'getLeadEvents'>;

/** Stores a batch: new events, their visitors' leads, and those leads marked dirty, in one transaction. */
function* insertEvents(db: SqlDatabase, batch: InsertBatch): Work<InsertResult> {
  const d = db.dialect;
  const { events, seqs, links } = yield* d.storeEvents(batch);
  const result: InsertResult = { accepted: events.length, duplicates: batch.events.length - events.length, leadIds: [] };
  if (batch.bot || events.length === 0) return result;
  const touched = yield* resolveLeads(d, batch.site, batch.receivedAt, events, links);
  // Leads locked in id order, so two batches touching the same leads queue instead of deadlocking.
  const marked = yield* query<{ id: string }>(
    `WITH locked AS (SELECT id FROM leads WHERE ${d.inList('id', 2, 'text')} ORDER BY id${d.forUpdate})
     UPDATE leads SET dirty = true, dirty_seq = dirty_seq + 1, updated_at = $1 WHERE id IN (SELECT id FROM locked) RETURNING id`,
    batch.receivedAt,
    touched,
  );
  const ids = new Set(marked.map((r) => r.id));
  result.leadIds = touched.filter((id) => ids.has(id));
  // `links` now holds each visitor's final lead (a merge in this batch moved its visitors to the known lead).
  yield* addPending(d, seqs, (i) => links.get(events[i]!.event.visitor));
  // The leads are locked above: their account moves queue behind another batch of the same lead.
  yield* resolveAccounts(d, batch.site, batch.receivedAt, events, (visitor) => links.get(visitor), batch.freeMailDomains);
  return result;
}

const LEAD_EVENTS = `SELECT ${EVENT_COLUMNS} FROM events e JOIN visitors v ON v.site = e.site AND v.visitor = e.visitor WHERE v.lead_id = $1 AND NOT e.bot`;

/** Event storage: dedupe, identity links and dirty marks in one transaction per batch; the event queries. */
export function createEventOps(db: SqlDatabase): EventOps {
  return {
    insertEvents: (batch) => db.run(() => insertEvents(db, batch), 'transaction'),
    listEvents: ({ site, limit, before }) =>
      db.run(function* () {
        const cursor = before ?? Number.MAX_SAFE_INTEGER;
        const rows =
          site === undefined
            ? yield* query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events e WHERE e.seq < $1 ORDER BY e.seq DESC LIMIT $2`, cursor, limit)
            : yield* query<EventRow>(
                `SELECT ${EVENT_COLUMNS} FROM events e WHERE e.seq < $1 AND e.site = $2 ORDER BY e.seq DESC LIMIT $3`,
                cursor,
                site,
                limit,
              );
        return rows.map(toStoredEvent);
      }, 'single'),
    countEvents: ({ site, bot } = {}) =>
      db.run(function* () {
        const where: string[] = [];
        const params: unknown[] = [];
        if (site !== undefined) where.push(`site = $${params.push(site)}`);
        if (bot !== undefined) where.push(`bot = $${params.push(bot)}`);
        const row = yield* queryOne<{ n: number | string }>(
          `SELECT count(*) AS n FROM events${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`,
          ...params,
        );
        return Number(row!.n);
      }, 'single'),
    getLastSeen: (leadIds) =>
      db.run(function* () {
        const seen: Record<string, number> = {};
        if (leadIds.length === 0) return seen;
        const rows = yield* query<{ lead_id: string; at: number | string }>(
          `SELECT v.lead_id, max(e.ts) AS at FROM visitors v JOIN events e ON e.site = v.site AND e.visitor = v.visitor
           WHERE ${db.dialect.inList('v.lead_id', 1, 'text')} AND NOT e.bot GROUP BY v.lead_id`,
          [...leadIds],
        );
        for (const row of rows) seen[row.lead_id] = Number(row.at);
        return seen;
      }, 'single'),
    getLeadEvents: (leadId, options = {}) =>
      db.run(function* () {
        // `limit` keeps the newest: read newest first, then turn the page round unless asked for newest first.
        if (!options.newestFirst && options.limit === undefined) {
          return (yield* query<EventRow>(`${LEAD_EVENTS} ORDER BY e.ts, e.id`, leadId)).map(toStoredEvent);
        }
        const order = `${LEAD_EVENTS} ORDER BY e.ts DESC, e.id DESC`;
        const rows =
          options.limit === undefined
            ? yield* query<EventRow>(order, leadId)
            : yield* query<EventRow>(`${order} LIMIT $2`, leadId, options.limit);
        const events = rows.map(toStoredEvent);
        return options.newestFirst ? events : events.reverse();
      }, 'single'),
  };
}
