import type { Pool } from 'pg';
import type { EventInput, InsertBatch, InsertResult, Store } from '../types.js';
import { EVENT_COLUMNS, toStoredEvent } from '../rows.js';
import type { EventRow } from '../rows.js';
import { getClaim } from '../identity.js';
import { createIdentity } from './identity.js';
import { transaction } from './pool.js';
import type { Queryable } from './pool.js';

/**
 * Stores the batch's new events in one statement and returns them (in batch order) with the lead their visitor is
 * linked to, if any. Keys go in sorted by id: two receivers given the same batch then wait on the same first key
 * instead of each holding a key the other needs (a deadlock), and the second finds every key taken once the first
 * commits. The events table's own unique key catches a retry of an event still stored after its dedupe key expired.
 * Visitors are read FOR SHARE, in a fixed order: an identity merge on another receiver (which moves visitors)
 * waits for this batch, or this batch waits for it and reads the visitor's new lead; either way no event is left on
 * a lead nobody re-scores.
 */
const INSERT_EVENTS = `
  WITH keys AS (
    INSERT INTO event_keys (site, id, seen_at) SELECT $1, k, $3 FROM unnest($5::text[]) AS k ORDER BY k
    ON CONFLICT DO NOTHING RETURNING id
  ), stored AS (
    INSERT INTO events (site, id, type, visitor, ts, raw_ts, sent_at, received_at, bot, clamped, body)
    SELECT $1, u.id, u.type, u.visitor, u.ts, u.raw_ts, $2, $3, $4, u.clamped, u.body
    FROM unnest($5::text[], $6::text[], $7::text[], $8::bigint[], $9::text[], $10::boolean[], $11::text[])
      WITH ORDINALITY AS u(id, type, visitor, ts, raw_ts, clamped, body, n)
    WHERE u.id IN (SELECT id FROM keys)
    ORDER BY u.n
    ON CONFLICT (site, id) DO NOTHING RETURNING id, visitor
  ), linked AS (
    SELECT visitor, lead_id FROM visitors WHERE site = $1 AND NOT $4 AND visitor IN (SELECT visitor FROM stored) ORDER BY visitor FOR SHARE
  )
  SELECT s.id, l.lead_id FROM stored s LEFT JOIN linked l USING (visitor)`;

/** The batch's new events, and the leads their visitors were already linked to. */
async function insertNew(client: Queryable, batch: InsertBatch): Promise<{ events: EventInput[]; links: Map<string, string> }> {
  // The first of two events with one id in a batch is the one stored, as on SQLite.
  const seen = new Set<string>();
  const candidates = batch.events.filter((e) => !seen.has(e.event.id) && seen.add(e.event.id));
  const { rows } = await client.query<{ id: string; lead_id: string | null }>({
    name: 'inkling_insert_events',
    text: INSERT_EVENTS,
    values: [
      batch.site,
      batch.sentAt,
      batch.receivedAt,
      batch.bot,
      candidates.map((e) => e.event.id),
      candidates.map((e) => e.event.type),
      candidates.map((e) => e.event.visitor),
      candidates.map((e) => e.ts),
      candidates.map((e) => e.event.ts),
      candidates.map((e) => e.clamped),
      candidates.map((e) => JSON.stringify(e.event)),
    ],
  });
  const accepted = new Map(rows.map((r) => [r.id, r.lead_id]));
  const events = candidates.filter((e) => accepted.has(e.event.id));
  const links = new Map<string, string>();
  for (const e of events) {
    const leadId = accepted.get(e.event.id);
    if (leadId) links.set(e.event.visitor, leadId);
  }
  return { events, links };
}

/**
 * Links each new event's visitor to a lead and returns the leads touched, in the order first touched. Every event
 * after `identify` carries its user: a visitor's claim, once resolved, is not resolved again in the batch (its lead
 * has a user, and only anonymous leads move), which saves a locking read per event.
 */
async function resolveLeads(client: Queryable, batch: InsertBatch, events: EventInput[], links: Map<string, string>): Promise<string[]> {
  const resolve = createIdentity(client, batch.site, batch.receivedAt, links);
  const claimed = new Map<string, string>();
  const touched = new Set<string>();
  for (const { event, ts } of events) {
    const claim = getClaim(event);
    const key = claim === undefined ? undefined : `${event.visitor}\n${claim}`;
    let leadId = key === undefined ? undefined : claimed.get(key);
    if (leadId === undefined) leadId = await resolve(event.visitor, claim, ts);
    if (key !== undefined) claimed.set(key, leadId);
    touched.add(leadId);
  }
  return [...touched];
}

/** Locks the leads in id order, so two batches touching the same leads queue instead of deadlocking. */
const MARK_DIRTY = `WITH locked AS (SELECT id FROM leads WHERE id = ANY($2::text[]) ORDER BY id FOR UPDATE)
  UPDATE leads l SET dirty = true, dirty_seq = l.dirty_seq + 1, updated_at = $1 FROM locked WHERE l.id = locked.id RETURNING l.id`;

type EventOps = Pick<Store, 'insertEvents' | 'listEvents' | 'countEvents' | 'getLastSeen' | 'getLeadEvents'>;

/** Event storage: dedupe, identity links and dirty marks in one transaction per batch. */
export function createEventOps(pool: Pool): EventOps {
  return {
    insertEvents: (batch) =>
      transaction(pool, async (client): Promise<InsertResult> => {
        const { events, links } = await insertNew(client, batch);
        const result = { accepted: events.length, duplicates: batch.events.length - events.length, leadIds: [] as string[] };
        if (batch.bot || events.length === 0) return result;
        const touched = await resolveLeads(client, batch, events, links);
        const marked = await client.query<{ id: string }>({ name: 'inkling_mark_dirty', text: MARK_DIRTY, values: [batch.receivedAt, touched] });
        const ids = new Set(marked.rows.map((r) => r.id));
        result.leadIds = touched.filter((id) => ids.has(id));
        return result;
      }),
    listEvents: async ({ site, limit, before }) => {
      const cursor = before ?? Number.MAX_SAFE_INTEGER;
      const { rows } =
        site === undefined
          ? await pool.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events e WHERE e.seq < $1 ORDER BY e.seq DESC LIMIT $2`, [cursor, limit])
          : await pool.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events e WHERE e.seq < $1 AND e.site = $2 ORDER BY e.seq DESC LIMIT $3`, [cursor, site, limit]);
      return rows.map(toStoredEvent);
    },
    countEvents: async ({ site, bot } = {}) => {
      const where: string[] = [];
      const params: unknown[] = [];
      if (site !== undefined) where.push(`site = $${params.push(site)}`);
      if (bot !== undefined) where.push(`bot = $${params.push(bot)}`);
      const { rows } = await pool.query<{ n: number }>(`SELECT count(*) AS n FROM events${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`, params);
      return Number(rows[0]!.n);
    },
    getLastSeen: async (leadIds) => {
      const seen: Record<string, number> = {};
      if (leadIds.length === 0) return seen;
      const { rows } = await pool.query<{ lead_id: string; at: number }>(
        `SELECT v.lead_id, max(e.ts) AS at FROM visitors v JOIN events e ON e.site = v.site AND e.visitor = v.visitor
         WHERE v.lead_id = ANY($1::text[]) AND NOT e.bot GROUP BY v.lead_id`,
        [leadIds],
      );
      for (const row of rows) seen[row.lead_id] = Number(row.at);
      return seen;
    },
    getLeadEvents: async (leadId, options = {}) => {
      const order = options.newestFirst || options.limit !== undefined ? 'DESC' : 'ASC';
      const { rows } = await pool.query<EventRow>({
        // Named: prepared once per connection, as scoring runs it for every lead it scores.
        name: `inkling_lead_events_${order}`,
        text: `SELECT ${EVENT_COLUMNS} FROM events e JOIN visitors v ON v.site = e.site AND v.visitor = e.visitor
          WHERE v.lead_id = $1 AND NOT e.bot ORDER BY e.ts ${order}, e.id ${order} LIMIT $2`,
        values: [leadId, options.limit ?? null],
      });
      const events = rows.map(toStoredEvent);
      return order === 'DESC' && !options.newestFirst ? events.reverse() : events;
    },
  };
}
