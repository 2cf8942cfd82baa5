import type { Database } from 'better-sqlite3';
import type { InsertBatch, InsertResult, Store } from '../types.js';
import { EVENT_COLUMNS, toStoredEvent } from '../rows.js';
import type { EventRow } from '../rows.js';
import { getClaim } from '../identity.js';
import { createIdentity } from './identity.js';

type EventOps = Pick<Store, 'insertEvents' | 'listEvents' | 'countEvents' | 'getLastSeen' | 'getLeadEvents'>;

/** Event storage: dedupe, identity links and dirty marks in one transaction per batch. */
export function createEventOps(db: Database): EventOps {
  const resolveLead = createIdentity(db);
  const insertKey = db.prepare('INSERT OR IGNORE INTO event_keys (site, id, seen_at) VALUES (?, ?, ?)');
  const insertEvent = db.prepare(
    `INSERT OR IGNORE INTO events (site, id, type, visitor, ts, raw_ts, sent_at, received_at, bot, clamped, body)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const markDirty = db.prepare('UPDATE leads SET dirty = 1, dirty_seq = dirty_seq + 1, updated_at = ? WHERE id = ?');

  const insert = db.transaction((batch: InsertBatch): InsertResult => {
    let accepted = 0;
    let duplicates = 0;
    const dirty = new Set<string>();
    for (const { event, ts, clamped } of batch.events) {
      // The key catches retries within the dedupe window; the events table's own unique key catches a retry of an
      // event still stored after its key expired.
      const fresh =
        insertKey.run(batch.site, event.id, batch.receivedAt).changes > 0 &&
        insertEvent.run(batch.site, event.id, event.type, event.visitor, ts, event.ts, batch.sentAt, batch.receivedAt, batch.bot ? 1 : 0, clamped ? 1 : 0, JSON.stringify(event)).changes > 0;
      if (!fresh) {
        duplicates++;
        continue;
      }
      accepted++;
      if (!batch.bot) dirty.add(resolveLead(batch.site, event.visitor, getClaim(event), ts, batch.receivedAt));
    }
    const leadIds: string[] = [];
    for (const id of dirty) if (markDirty.run(batch.receivedAt, id).changes > 0) leadIds.push(id);
    return { accepted, duplicates, leadIds };
  });

  const listAll = db.prepare<[number, number], EventRow>(`SELECT ${EVENT_COLUMNS} FROM events e WHERE e.seq < ? ORDER BY e.seq DESC LIMIT ?`);
  const listSite = db.prepare<[number, string, number], EventRow>(`SELECT ${EVENT_COLUMNS} FROM events e WHERE e.seq < ? AND e.site = ? ORDER BY e.seq DESC LIMIT ?`);
  const count = (site: boolean, bot: boolean) =>
    db.prepare<unknown[], { n: number }>(`SELECT count(*) AS n FROM events WHERE 1 = 1${site ? ' AND site = ?' : ''}${bot ? ' AND bot = ?' : ''}`);
  const counts = [count(false, false), count(false, true), count(true, false), count(true, true)] as const;
  const lastSeen = db.prepare<[string], { lead_id: string; at: number }>(
    `SELECT v.lead_id, max(e.ts) AS at FROM visitors v JOIN events e ON e.site = v.site AND e.visitor = v.visitor
     WHERE v.lead_id IN (SELECT value FROM json_each(?)) AND e.bot = 0 GROUP BY v.lead_id`,
  );
  const leadEvents = (order: string) =>
    db.prepare<[string, number], EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events e JOIN visitors v ON v.site = e.site AND v.visitor = e.visitor
       WHERE v.lead_id = ? AND e.bot = 0 ORDER BY e.ts ${order}, e.id ${order} LIMIT ?`,
    );
  const leadEventsAsc = leadEvents('ASC');
  const leadEventsDesc = leadEvents('DESC');

  return {
    insertEvents: async (batch) => insert.immediate(batch),
    listEvents: async ({ site, limit, before }) => {
      const cursor = before ?? Number.MAX_SAFE_INTEGER;
      const rows = site === undefined ? listAll.all(cursor, limit) : listSite.all(cursor, site, limit);
      return rows.map(toStoredEvent);
    },
    countEvents: async ({ site, bot } = {}) => {
      const params: (string | number)[] = [];
      if (site !== undefined) params.push(site);
      if (bot !== undefined) params.push(bot ? 1 : 0);
      return counts[(site === undefined ? 0 : 2) + (bot === undefined ? 0 : 1)]!.get(...params)!.n;
    },
    getLastSeen: async (leadIds) => {
      const seen: Record<string, number> = {};
      if (leadIds.length) for (const row of lastSeen.all(JSON.stringify(leadIds))) seen[row.lead_id] = Number(row.at);
      return seen;
    },
    getLeadEvents: async (leadId, options = {}) => {
      const limit = options.limit ?? -1;
      if (!options.newestFirst && options.limit === undefined) return leadEventsAsc.all(leadId, -1).map(toStoredEvent);
      const newest = leadEventsDesc.all(leadId, limit).map(toStoredEvent);
      return options.newestFirst ? newest : newest.reverse();
    },
  };
}
