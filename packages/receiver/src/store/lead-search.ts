// The leads list as one query: filters, sort, paging and the per-level counts run in the database, over every lead,
// on columns kept on the lead's row (`seen_at`, `traits`, `traits_search`, `topic_names`) so that no filter needs the
// events or the topics' JSON. The rules that keep those columns equal to what the events say are here too, called
// where events come and go (a batch, an identity merge, an erasure, a retention sweep) and where a score is saved.
import type { IntentLevel, JsonObject, TopicInterest } from '@inkling/core';
import { ROUTING_TOP_TOPICS } from '../webhooks/routing.js';
import { LEAD_COLUMNS, toLead } from './rows.js';
import { execute, query, queryOne } from './sql.js';
import type { Dialect, SqlDatabase, Work } from './sql.js';
import type { EventInput, LeadFacets, LeadSearch, LeadSearchResult, Store } from './types.js';

/** Longest search text kept of one lead's traits: a CRM's name, company and e-mail fit many times over. */
export const MAX_TRAITS_SEARCH_LENGTH = 2000;

/** The values of `traits` (nested ones too, not the keys), in lower case, one a line: what a text search matches. */
export function getTraitsSearchText(traits: JsonObject): string {
  const values: string[] = [];
  const walk = (value: unknown): void => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) value.forEach(walk);
    else if (typeof value === 'object') Object.values(value).forEach(walk);
    else values.push(String(value).toLowerCase());
  };
  walk(traits);
  return values.join('\n').slice(0, MAX_TRAITS_SEARCH_LENGTH);
}

/** Separates the names in `topic_names`: a control character no topic name has. */
const TOPIC_SEPARATOR = '\u001f';

/**
 * A lead's three strongest topic names (as routing picks them), as kept in `topic_names` for the list's topic filter
 * and the topics it offers: each name between separators (`␟payroll␟tax␟`), or '' for none. Plain text, so neither
 * needs to read the topics' JSON of every lead.
 */
export function toTopicNames(topics: readonly TopicInterest[]): string {
  const names = topics.slice(0, ROUTING_TOP_TOPICS).map((t) => t.name);
  return names.length ? `${TOPIC_SEPARATOR}${names.join(TOPIC_SEPARATOR)}${TOPIC_SEPARATOR}` : '';
}

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

const SET_TRAITS = `UPDATE leads SET traits = $2, traits_at = $3, traits_search = $4
  WHERE id = $1 AND user_id = $5 AND (traits_at IS NULL OR traits_at <= $3)`;

/**
 * After a batch's visitors are linked: moves each lead's `seen_at` on to its newest new event, and keeps the traits of
 * an `identify` event on its lead when it claims the lead's own user (a claim noted as a conflict changes nothing)
 * and is not older than the traits kept. `leadOf` gives the lead each visitor ended up on.
 */
export function* rememberBatch(events: readonly EventInput[], leadOf: (visitor: string) => string | undefined): Work<void> {
  const seen = new Map<string, number>();
  for (const { event, ts } of events) {
    const leadId = leadOf(event.visitor);
    if (leadId === undefined) continue;
    seen.set(leadId, Math.max(seen.get(leadId) ?? 0, ts));
    if (event.type === 'identify' && isObject(event.props.traits)) {
      const traits = event.props.traits;
      yield* execute(SET_TRAITS, leadId, JSON.stringify(traits), ts, getTraitsSearchText(traits), event.props.userId);
    }
  }
  for (const [leadId, ts] of [...seen].sort(([a], [b]) => (a < b ? -1 : 1)))
    yield* execute('UPDATE leads SET seen_at = $2 WHERE id = $1 AND seen_at < $2', leadId, ts);
}

/** An anonymous lead joins `known`: the later of the two last-seen times stays (an anonymous lead has no traits). */
export function* rememberMerge(anonymous: string, known: string): Work<void> {
  yield* execute(
    'UPDATE leads SET seen_at = (SELECT a.seen_at FROM leads a WHERE a.id = $2) WHERE id = $1 AND seen_at < (SELECT a.seen_at FROM leads a WHERE a.id = $2)',
    known,
    anonymous,
  );
}

/**
 * Reads a lead's `seen_at` and traits again from the events it has left (after an erasure of one of its visitors):
 * the newest non-bot event, and the newest `identify` claiming the lead's user that carried traits.
 */
export function* recomputeLeadFacts(leadId: string): Work<void> {
  yield* execute(
    `UPDATE leads SET seen_at = coalesce((SELECT max(e.ts) FROM visitors v JOIN events e ON e.site = v.site AND e.visitor = v.visitor
       WHERE v.lead_id = $1 AND NOT e.bot), 0) WHERE id = $1`,
    leadId,
  );
  const lead = yield* queryOne<{ user_id: string | null }>('SELECT user_id FROM leads WHERE id = $1', leadId);
  const identifies =
    lead?.user_id == null
      ? []
      : yield* query<{ body: string; ts: number }>(
          `SELECT e.body, e.ts FROM visitors v JOIN events e ON e.site = v.site AND e.visitor = v.visitor
           WHERE v.lead_id = $1 AND e.type = 'identify' AND NOT e.bot ORDER BY e.ts DESC, e.seq DESC`,
          leadId,
        );
  for (const row of identifies) {
    const props = (JSON.parse(row.body) as { props?: { userId?: unknown; traits?: unknown } }).props;
    if (props?.userId !== lead!.user_id || !isObject(props.traits)) continue;
    yield* execute(
      'UPDATE leads SET traits = $2, traits_at = $3, traits_search = $4 WHERE id = $1',
      leadId,
      JSON.stringify(props.traits),
      Number(row.ts),
      getTraitsSearchText(props.traits),
    );
    return;
  }
  yield* execute('UPDATE leads SET traits = NULL, traits_at = NULL, traits_search = NULL WHERE id = $1', leadId);
}

/**
 * Retention deleted every event before `cutoff`: a lead last seen before it has no events left, and traits that came
 * from an event before it are gone with it (every older identify went too).
 */
export function* forgetBefore(cutoff: number): Work<void> {
  yield* execute('UPDATE leads SET seen_at = 0 WHERE seen_at > 0 AND seen_at < $1', cutoff);
  yield* execute('UPDATE leads SET traits = NULL, traits_at = NULL, traits_search = NULL WHERE traits_at < $1', cutoff);
}

/** `text` as a LIKE pattern matching it anywhere, its own `%`, `_` and `\` taken literally. */
export function toContainsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The WHERE conditions every filter but the level's sets, with their parameters pushed on `params`. */
function getConditions(d: Dialect, q: LeadSearch, params: unknown[]): string[] {
  const param = (value: unknown) => `$${params.push(value)}`;
  const where: string[] = [];
  if (q.site !== undefined) where.push(`l.site = ${param(q.site)}`);
  if (q.seenSince !== undefined) where.push(`l.seen_at >= ${param(q.seenSince)}`);
  if (q.topic !== undefined) where.push(d.includes('l.topic_names', params.push(`${TOPIC_SEPARATOR}${q.topic}${TOPIC_SEPARATOR}`)));
  if (q.text !== undefined) {
    const n = params.push(toContainsPattern(q.text.toLowerCase()));
    // Traits are kept in lower case; the visitors matching are found in one pass, not looked up lead by lead.
    where.push(
      `(${d.likeAnyCase('l.id', n)} OR ${d.likeAnyCase('l.user_id', n)} OR l.traits_search LIKE $${n} ESCAPE '\\'
        OR l.id IN (SELECT v.lead_id FROM visitors v WHERE ${d.likeAnyCase('v.visitor', n)}))`,
    );
  }
  return where;
}

const ORDER: Record<LeadSearch['sort'], string> = {
  score: 'l.score DESC, l.id',
  seen: 'l.seen_at DESC, l.score DESC, l.id',
  change: 'l.updated_at DESC, l.score DESC, l.id',
};

/** What a text search reads of each matching lead to count, order and page them. */
interface Match {
  id: string;
  level: IntentLevel;
  score: number;
  seen_at: number;
  updated_at: number;
}

/** {@link ORDER} in JavaScript, for the matches of a text search (ids are ASCII, so `<` orders them as SQL does). */
function compareMatches(sort: LeadSearch['sort']): (a: Match, b: Match) => number {
  const key = (m: Match) => (sort === 'seen' ? Number(m.seen_at) : sort === 'change' ? Number(m.updated_at) : 0);
  return (a, b) => key(b) - key(a) || b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * A text search reads every lead whatever the order (a substring has no index), so it reads them once: the matches'
 * levels and sort keys, counted and paged here, then the page's leads by id. Counting and paging in SQL would read
 * every lead twice, and a rare match would walk the whole ranking index for its page.
 */
function* searchText(
  d: Dialect,
  q: LeadSearch,
  where: string[],
  params: unknown[],
): Work<{ ids: string[]; counts: Record<IntentLevel, number> }> {
  const matches = yield* query<Match>(
    `SELECT l.id, l.level, l.score, l.seen_at, l.updated_at FROM leads l WHERE ${where.join(' AND ')}`,
    ...params,
  );
  const counts: Record<IntentLevel, number> = { hot: 0, warm: 0, cold: 0 };
  for (const m of matches) if (m.level in counts) counts[m.level]++;
  const listed = matches.filter((m) => q.levels.includes(m.level)).sort(compareMatches(q.sort));
  return { ids: listed.slice(q.offset, q.offset + q.limit).map((m) => m.id), counts };
}

function* searchLeads(d: Dialect, q: LeadSearch): Work<LeadSearchResult> {
  const params: unknown[] = [];
  const where = getConditions(d, q, params);
  if (q.text !== undefined) {
    const { ids, counts } = yield* searchText(d, q, where, params);
    if (ids.length === 0) return { leads: [], lastSeen: {}, traits: {}, counts };
    const rows = yield* query<Record<string, unknown>>(
      `SELECT ${LEAD_COLUMNS}, l.seen_at, l.traits, ${d.visitorsOf('l.id')} AS visitors FROM leads l WHERE ${d.inList('l.id', 1, 'text')}`,
      ids,
    );
    const order = new Map(ids.map((id, i) => [id, i]));
    rows.sort((a, b) => order.get(a['id'] as string)! - order.get(b['id'] as string)!);
    return { ...toPage(rows), counts };
  }
  // Counted over every level: the counts leave the level filter out.
  const counted = yield* query<{ level: IntentLevel; n: number | string }>(
    `SELECT l.level, count(*) AS n FROM leads l ${where.length ? `WHERE ${where.join(' AND ')}` : ''} GROUP BY l.level`,
    ...params,
  );
  const counts: Record<IntentLevel, number> = { hot: 0, warm: 0, cold: 0 };
  for (const row of counted) if (row.level in counts) counts[row.level] = Number(row.n);
  if (q.levels.length === 0 || q.limit === 0) return { leads: [], lastSeen: {}, traits: {}, counts };
  where.push(d.inList('l.level', params.push(q.levels), 'text'));
  const rows = yield* query<Record<string, unknown>>(
    `SELECT ${LEAD_COLUMNS}, l.seen_at, l.traits, ${d.visitorsOf('l.id')} AS visitors FROM leads l WHERE ${where.join(' AND ')}
     ORDER BY ${ORDER[q.sort]} LIMIT $${params.push(q.limit)} OFFSET $${params.push(q.offset)}`,
    ...params,
  );
  return { ...toPage(rows), counts };
}

/** The leads of a page's rows (with their `seen_at` and `traits`), their last-seen times and traits by id. */
function toPage(rows: Record<string, unknown>[]): Omit<LeadSearchResult, 'counts'> {
  const lastSeen: Record<string, number> = {};
  const traits: Record<string, JsonObject> = {};
  for (const row of rows) {
    const id = row['id'] as string;
    if (Number(row['seen_at']) > 0) lastSeen[id] = Number(row['seen_at']);
    // SQLite gives JSON back as text, PostgreSQL as a value.
    const kept = typeof row['traits'] === 'string' ? (JSON.parse(row['traits']) as unknown) : row['traits'];
    if (isObject(kept)) traits[id] = kept;
  }
  return { leads: rows.map(toLead), lastSeen, traits };
}

type SearchOps = Pick<Store, 'searchLeads' | 'getLeadFacets'>;

/** The leads list's queries: one page of leads with exact counts per level, and the values its filters offer. */
export function createSearchOps(db: SqlDatabase): SearchOps {
  const d = db.dialect;
  return {
    searchLeads: (q) => db.run(() => searchLeads(d, q), 'single'),
    getLeadFacets: ({ site } = {}) =>
      db.run(function* (): Work<LeadFacets> {
        const sites = yield* query<{ site: string }>('SELECT DISTINCT site FROM leads ORDER BY site');
        // A few distinct combinations of names stand for all the leads; they are split here.
        const combinations =
          site === undefined
            ? yield* query<{ names: string }>('SELECT DISTINCT topic_names AS names FROM leads')
            : yield* query<{ names: string }>('SELECT DISTINCT topic_names AS names FROM leads WHERE site = $1', site);
        const topics = new Set(combinations.flatMap((r) => r.names.split(TOPIC_SEPARATOR)).filter(Boolean));
        return { sites: sites.map((r) => r.site), topics: [...topics].sort() };
      }, 'single'),
  };
}
