import type { Dialect } from '../sql.js';
import { execute, query } from '../sql.js';
import type { EventInput } from '../types.js';

/**
 * SQLite's spelling. One process holds the write lock for a whole transaction, so there are no row locks; arrays
 * travel as JSON text (the driver turns array parameters into it) and are read back with `json_each`.
 */
export const SQLITE: Dialect = {
  name: 'sqlite',
  forUpdate: '',
  forShare: '',
  skipLocked: '',
  inList: (column, n) => `${column} IN (SELECT value FROM json_each($${n}))`,
  topTopics: (column, top) => `SELECT json_extract(value, '$.name') FROM json_each(${column}) WHERE key < ${top}`,
  includes: (expr, n) => `instr(${expr}, $${n}) > 0`,
  // SQLite's LIKE ignores the case of ASCII letters already.
  likeAnyCase: (expr, n) => `${expr} LIKE $${n} ESCAPE '\\'`,
  jsonNumbers: (column) => `(SELECT value FROM json_each(${column}))`,
  jsonAppend: (column, n) =>
    `(SELECT json_group_array(value) FROM (SELECT value FROM json_each(${column}) UNION ALL SELECT value FROM json_each($${n})))`,
  jsonWithout: (column, n) =>
    `(SELECT json_group_array(value) FROM json_each(${column}) WHERE value NOT IN (SELECT value FROM json_each($${n})))`,
  visitorsOf: (leadId) => `(SELECT json_group_array(v.visitor) FROM visitors v WHERE v.lead_id = ${leadId})`,
  *storeEvents(batch) {
    const events: EventInput[] = [];
    const seqs: number[] = [];
    for (const input of batch.events) {
      const { event, ts, clamped } = input;
      // The key catches retries within the dedupe window; the events table's own unique key catches a retry of an
      // event still stored after its key expired.
      if (
        (yield* execute(
          'INSERT INTO event_keys (site, id, seen_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
          batch.site,
          event.id,
          batch.receivedAt,
        )) === 0
      )
        continue;
      const [row] = yield* query<{ seq: number }>(
        `INSERT INTO events (site, id, type, visitor, ts, raw_ts, sent_at, received_at, bot, clamped, body)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING RETURNING seq`,
        batch.site,
        event.id,
        event.type,
        event.visitor,
        ts,
        event.ts,
        batch.sentAt,
        batch.receivedAt,
        batch.bot,
        clamped,
        JSON.stringify(event),
      );
      if (!row) continue;
      events.push(input);
      seqs.push(row.seq);
    }
    const visitors = [...new Set(events.map((e) => e.event.visitor))];
    const linked = batch.bot
      ? []
      : yield* query<{ visitor: string; lead_id: string }>(
          `SELECT visitor, lead_id FROM visitors WHERE site = $1 AND visitor IN (SELECT value FROM json_each($2))`,
          batch.site,
          visitors,
        );
    return { events, seqs, links: new Map(linked.map((r) => [r.visitor, r.lead_id])) };
  },
};
