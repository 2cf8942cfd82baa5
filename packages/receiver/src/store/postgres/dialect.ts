import type { Dialect } from '../sql.js';
import { query } from '../sql.js';

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
    ON CONFLICT (site, id) DO NOTHING RETURNING id, visitor, seq
  ), linked AS (
    SELECT visitor, lead_id FROM visitors WHERE site = $1 AND NOT $4 AND visitor IN (SELECT visitor FROM stored) ORDER BY visitor FOR SHARE
  )
  SELECT s.id, s.seq, l.lead_id FROM stored s LEFT JOIN linked l USING (visitor)`;

/**
 * PostgreSQL's spelling: row locks for several receivers on one database (`FOR UPDATE`, `FOR SHARE`, and `SKIP
 * LOCKED` for the claims) and arrays as `text[]` parameters.
 */
export const POSTGRES: Dialect = {
  name: 'postgres',
  forUpdate: ' FOR UPDATE',
  forShare: ' FOR SHARE',
  skipLocked: ' FOR UPDATE SKIP LOCKED',
  inList: (column, n, type) => `${column} = ANY($${n}::${type}[])`,
  topTopics: (column, top) =>
    `SELECT t.topic->>'name' FROM jsonb_array_elements(${column}) WITH ORDINALITY AS t(topic, n) WHERE t.n <= ${top}`,
  includes: (expr, n) => `strpos(${expr}, $${n}) > 0`,
  // lower() on the C collation the keys use folds ASCII letters only, as SQLite's LIKE does; it scans faster than ILIKE.
  likeAnyCase: (expr, n) => `lower(${expr}) LIKE $${n} ESCAPE '\\'`,
  jsonNumbers: (column) => `(SELECT x::bigint FROM jsonb_array_elements_text(${column}) AS x)`,
  jsonAppend: (column, n) => `(${column} || $${n}::jsonb)`,
  jsonWithout: (column, n) =>
    `(SELECT coalesce(jsonb_agg(x ORDER BY i), '[]'::jsonb) FROM jsonb_array_elements(${column}) WITH ORDINALITY AS t(x, i) WHERE NOT $${n}::jsonb @> x)`,
  visitorsOf: (leadId) => `ARRAY(SELECT v.visitor FROM visitors v WHERE v.lead_id = ${leadId} ORDER BY v.visitor)`,
  *storeEvents(batch) {
    // The first of two events with one id in a batch is the one stored, as on SQLite.
    const seen = new Set<string>();
    const candidates = batch.events.filter((e) => !seen.has(e.event.id) && seen.add(e.event.id));
    const rows = yield* query<{ id: string; seq: number; lead_id: string | null }>(
      INSERT_EVENTS,
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
    );
    const accepted = new Map(rows.map((r) => [r.id, r]));
    const events = candidates.filter((e) => accepted.has(e.event.id));
    const seqs = events.map((e) => accepted.get(e.event.id)!.seq);
    const links = new Map<string, string>();
    for (const e of events) {
      const leadId = accepted.get(e.event.id)!.lead_id;
      if (leadId) links.set(e.event.visitor, leadId);
    }
    return { events, seqs, links };
  },
};
