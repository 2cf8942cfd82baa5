// Accounts: which account each lead belongs to (one at a time, every move recorded), the account's dirty mark and
// scoring claim, its guarded score save with its webhooks, and the queries of the lead API. Written once for both
// engines, like the leads' rules.
import { uuidv7 } from '@inkling/core';
import type { IntentLevel, Profile } from '@inkling/core';
import { getAccountClaim } from '../accounts/claim.js';
import { ACCOUNTS } from './schema.js';
import { execute, query, queryOne } from './sql.js';
import type { Dialect, SqlDatabase, Work } from './sql.js';
import type {
  Account,
  AccountMember,
  AccountMembership,
  AccountMove,
  AccountQuery,
  AccountScoreUpdate,
  AccountSource,
  EventInput,
  Store,
} from './types.js';

/**
 * Moves kept per lead; the oldest beyond it are dropped and counted on the membership. A visitor switching account on
 * every event costs at most this many rows, while a person changing company keeps their whole history many times over.
 */
export const MAX_MOVES_PER_LEAD = 100;

interface Membership {
  accountId: string;
  key: string;
  source: AccountSource;
}

const json = <T>(value: unknown): T => (typeof value === 'string' ? (JSON.parse(value) as T) : (value as T));

/**
 * Applies the account claims of a batch's new events to their leads, in batch order, inside the batch's transaction
 * and after its leads are locked (so two batches of one lead queue). An explicit `group` moves a lead to that account;
 * an e-mail domain does only for a lead not in an account it chose by `group`. Each move is recorded, and the accounts
 * a lead left or joined are marked dirty, and `group` traits written, with the rows locked in id order, so batches
 * touching the same accounts queue instead of deadlocking. Resolves to the accounts marked.
 */
export function* resolveAccounts(
  d: Dialect,
  site: string,
  now: number,
  events: readonly EventInput[],
  leadOf: (visitor: string) => string | undefined,
  extra?: ReadonlySet<string>,
): Work<string[]> {
  const current = new Map<string, Membership | null>();
  const ids = new Map<string, string>();
  const touched = new Set<string>();
  // The latest group traits per account, written once its row is locked with the others, in id order.
  const traits = new Map<string, string>();
  for (const { event, ts } of events) {
    const claim = getAccountClaim(event, extra);
    const leadId = claim && leadOf(event.visitor);
    if (!claim || leadId === undefined) continue;
    let member = current.get(leadId);
    if (member === undefined) {
      const row = yield* queryOne<{ account_id: string; key: string; source: AccountSource }>(
        'SELECT m.account_id, a.key, m.source FROM account_members m JOIN accounts a ON a.id = m.account_id WHERE m.lead_id = $1',
        leadId,
      );
      member = row ? { accountId: row.account_id, key: row.key, source: row.source } : null;
    }
    // An explicit group wins over a domain.
    if (claim.source === 'domain' && member?.source === 'group') {
      current.set(leadId, member);
      continue;
    }
    let accountId = ids.get(claim.key);
    if (accountId === undefined) ids.set(claim.key, (accountId = yield* getOrCreateAccount(site, claim.key, claim.source, now)));
    if (claim.traits) traits.set(accountId, JSON.stringify(claim.traits));
    if (member?.accountId === accountId) {
      if (member.source !== claim.source && claim.source === 'group') {
        yield* execute("UPDATE account_members SET source = 'group' WHERE lead_id = $1", leadId);
        member = { ...member, source: 'group' };
      }
      current.set(leadId, member);
      continue;
    }
    if (member)
      yield* execute(
        'UPDATE account_members SET account_id = $1, source = $2, joined_at = $3 WHERE lead_id = $4',
        accountId,
        claim.source,
        ts,
        leadId,
      );
    else
      yield* execute(
        'INSERT INTO account_members (lead_id, account_id, site, source, joined_at) VALUES ($1, $2, $3, $4, $5)',
        leadId,
        accountId,
        site,
        claim.source,
        ts,
      );
    yield* recordMove(site, leadId, member?.accountId ?? null, accountId, claim.source, ts);
    if (member) touched.add(member.accountId);
    touched.add(accountId);
    current.set(leadId, { accountId, key: claim.key, source: claim.source });
  }
  // Accounts whose traits change are locked (and marked) with the others: one statement, in id order.
  for (const id of traits.keys()) touched.add(id);
  if (touched.size === 0) return [];
  const marked = yield* markAccountsDirty(d, [...touched], now);
  for (const [id, text] of traits) yield* execute('UPDATE accounts SET traits = $1 WHERE id = $2', text, id);
  return marked;
}

/** The account of `key` on `site`, created when new (another receiver creating it at once: its row is used). */
function* getOrCreateAccount(site: string, key: string, source: AccountSource, now: number): Work<string> {
  const found = yield* queryOne<{ id: string }>('SELECT id FROM accounts WHERE site = $1 AND key = $2', site, key);
  if (found) return found.id;
  yield* execute(
    'INSERT INTO accounts (id, site, key, source, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT DO NOTHING',
    uuidv7(now),
    site,
    key,
    source,
    now,
  );
  return (yield* queryOne<{ id: string }>('SELECT id FROM accounts WHERE site = $1 AND key = $2', site, key))!.id;
}

/** Records a move, then drops the lead's oldest beyond {@link MAX_MOVES_PER_LEAD}, counting them on its membership. */
function* recordMove(site: string, leadId: string, from: string | null, to: string, source: AccountSource, at: number): Work<void> {
  yield* execute(
    'INSERT INTO account_moves (site, lead_id, from_account, to_account, source, at) VALUES ($1, $2, $3, $4, $5, $6)',
    site,
    leadId,
    from,
    to,
    source,
    at,
  );
  // A lead joining its first account has no other moves (they go when it leaves for good).
  if (from === null) return;
  const count = Number((yield* queryOne<{ n: number | string }>('SELECT count(*) AS n FROM account_moves WHERE lead_id = $1', leadId))!.n);
  if (count <= MAX_MOVES_PER_LEAD) return;
  const dropped = yield* execute(
    'DELETE FROM account_moves WHERE seq IN (SELECT seq FROM account_moves WHERE lead_id = $1 ORDER BY seq LIMIT $2)',
    leadId,
    count - MAX_MOVES_PER_LEAD,
  );
  yield* execute('UPDATE account_members SET moves_dropped = moves_dropped + $1 WHERE lead_id = $2', dropped, leadId);
}

/** Marks accounts dirty, locked in id order; the ids marked. */
export function* markAccountsDirty(d: Dialect, ids: readonly string[], now: number): Work<string[]> {
  const rows = yield* query<{ id: string }>(
    `WITH locked AS (SELECT id FROM accounts WHERE ${d.inList('id', 2, 'text')} ORDER BY id${d.forUpdate})
     UPDATE accounts SET dirty = true, dirty_seq = dirty_seq + 1, updated_at = $1 WHERE id IN (SELECT id FROM locked) RETURNING id`,
    now,
    [...ids].sort(),
  );
  return rows.map((r) => r.id);
}

/**
 * Marks dirty the account of a lead (its score or profile changed), if it has one, always with a new `dirty_seq`:
 * the UPDATE takes the account's row lock, so a receiver claiming the account at the same moment waits for this
 * transaction and then reads the member's new snapshot, or its save finds `dirty_seq` moved on and leaves the account
 * dirty. (Skipping an account already dirty would take no lock, and a claim between this statement and the commit
 * would score the member's old snapshot and clear the mark: a lost update.)
 */
export function* markLeadAccountDirty(leadId: string, now: number): Work<void> {
  yield* execute(
    `UPDATE accounts SET dirty = true, dirty_seq = dirty_seq + 1, updated_at = CASE WHEN dirty THEN updated_at ELSE $2 END
     WHERE id = (SELECT account_id FROM account_members WHERE lead_id = $1)`,
    leadId,
    now,
  );
}

/**
 * A lead leaves its account for good (it is erased, or joined a known lead): its membership and moves go, its account
 * is marked dirty to be scored without it, and an account left without members is deleted with its pending messages
 * (nothing derived from an erased person stays). `into`: the known lead the history joined, which takes the
 * membership over when it has none.
 */
export function* leaveAccount(d: Dialect, leadId: string, now: number, into?: string): Work<void> {
  const member = yield* queryOne<{ account_id: string }>('SELECT account_id FROM account_members WHERE lead_id = $1', leadId);
  if (!member) return;
  if (into !== undefined) {
    const moved = yield* execute(
      'UPDATE account_members SET lead_id = $1 WHERE lead_id = $2 AND NOT EXISTS (SELECT 1 FROM account_members WHERE lead_id = $1)',
      into,
      leadId,
    );
    if (moved > 0) {
      yield* execute('UPDATE account_moves SET lead_id = $1 WHERE lead_id = $2', into, leadId);
      yield* markAccountsDirty(d, [member.account_id], now);
      return;
    }
  }
  yield* execute('DELETE FROM account_members WHERE lead_id = $1', leadId);
  yield* execute('DELETE FROM account_moves WHERE lead_id = $1', leadId);
  const left = yield* queryOne<{ id: string }>(
    'SELECT lead_id AS id FROM account_members WHERE account_id = $1 LIMIT 1',
    member.account_id,
  );
  if (left) {
    yield* markAccountsDirty(d, [member.account_id], now);
    return;
  }
  yield* execute("DELETE FROM outbox WHERE lead_id = $1 AND status = 'pending'", member.account_id);
  yield* execute('DELETE FROM account_moves WHERE from_account = $1 OR to_account = $1', member.account_id);
  yield* execute('DELETE FROM accounts WHERE id = $1', member.account_id);
}

/** The score is written only from a newer state than the saved one and from the level it was computed from. */
const UPDATE_ACCOUNT_SCORE = `UPDATE accounts SET score = $2, level = $3, previous = CASE WHEN level = $3 THEN previous ELSE level END,
    reasons = $4, topics = $5, people = $6, model = $7, scored_at = $8, updated_at = CASE WHEN level = $3 THEN updated_at ELSE $8 END,
    dirty = (dirty_seq <> $9), scored_seq = $9, claimed_until = NULL
  WHERE id = $1 AND scored_seq < $9 AND level = $10`;

const INSERT_MESSAGE = `INSERT INTO outbox (id, endpoint, type, payload, lead_id, site, next_attempt_at, created_at, updated_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) ON CONFLICT DO NOTHING`;

/**
 * Saves an account's score with its webhooks, enqueued only when the guarded UPDATE applied and the level changed: a
 * second receiver that scored the same transition waits on the row lock, then finds `scored_seq` or `level` moved on,
 * so each `account.*` webhook is enqueued once, as a lead's is.
 */
function* saveAccountScore(u: AccountScoreUpdate): Work<void> {
  const applied = yield* execute(
    UPDATE_ACCOUNT_SCORE,
    u.accountId,
    u.score,
    u.level,
    JSON.stringify(u.reasons),
    JSON.stringify(u.topics),
    u.people,
    u.model,
    u.scoredAt,
    u.dirtySeq,
    u.from,
  );
  if (applied === 0 || u.level === u.from) return;
  for (const m of u.messages)
    yield* execute(INSERT_MESSAGE, m.id, m.endpoint, m.type, m.payload, m.leadId, m.site, m.nextAttemptAt, m.createdAt);
}

const ACCOUNT_COLUMNS = ACCOUNTS.columns
  .filter((c) => c.field)
  .map((c) => `a.${c.name}`)
  .join(', ');
const MEMBER_COUNT = '(SELECT count(*) FROM account_members m WHERE m.account_id = a.id) AS member_count';

function toAccount(row: Record<string, unknown>): Account {
  const account: Record<string, unknown> = { members: Number(row['member_count'] ?? 0) };
  for (const column of ACCOUNTS.columns) {
    if (!column.field) continue;
    const value = row[column.name];
    account[column.field] =
      column.type === 'json' && typeof value === 'string'
        ? JSON.parse(value)
        : column.type === 'bigint' && value !== null
          ? Number(value)
          : value;
  }
  return account as unknown as Account;
}

function* listAccounts(d: Dialect, { site, levels, limit, after }: AccountQuery): Work<Account[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  if (site !== undefined) where.push(`a.site = ${param(site)}`);
  if (levels?.length) where.push(d.inList('a.level', params.push(levels), 'text'));
  if (after) where.push(`(a.score < ${param(after.score)} OR (a.score = $${params.length} AND a.id > ${param(after.id)}))`);
  const sql = `SELECT ${ACCOUNT_COLUMNS}, ${MEMBER_COUNT} FROM accounts a ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY a.score DESC, a.id LIMIT ${param(limit)}`;
  return (yield* query<Record<string, unknown>>(sql, ...params)).map(toAccount);
}

type AccountOps = Pick<
  Store,
  | 'claimDirtyAccounts'
  | 'getAccountProfiles'
  | 'saveAccountScore'
  | 'deferAccount'
  | 'markStaleAccounts'
  | 'listAccounts'
  | 'getAccount'
  | 'listAccountMembers'
  | 'getLeadAccount'
  | 'listAccountMoves'
>;

interface MoveRow {
  seq: number | string;
  lead_id: string;
  from_account: string | null;
  to_account: string;
  source: AccountSource;
  at: number | string;
}

/** Accounts: scoring claims, guarded saves with their webhooks, and the queries of the lead API. */
export function createAccountOps(db: SqlDatabase): AccountOps {
  const d = db.dialect;
  return {
    claimDirtyAccounts: (limit, now, leaseMs) =>
      db.run(function* () {
        const rows = yield* query<{
          id: string;
          site: string;
          key: string;
          level: IntentLevel;
          dirty_seq: number | string;
          updated_at: number | string;
        }>(
          `WITH picked AS (
             SELECT id FROM accounts WHERE dirty AND (claimed_until IS NULL OR claimed_until <= $1) ORDER BY updated_at LIMIT $2${d.skipLocked})
           UPDATE accounts SET claimed_until = $3 WHERE id IN (SELECT id FROM picked) RETURNING id, site, key, level, dirty_seq, updated_at`,
          now,
          limit,
          now + leaseMs,
        );
        rows.sort((a, b) => Number(a.updated_at) - Number(b.updated_at));
        return rows.map((r) => ({ id: r.id, site: r.site, key: r.key, level: r.level, dirtySeq: Number(r.dirty_seq) }));
      }, 'single'),
    getAccountProfiles: (accountId, limit) =>
      db.run(function* () {
        const rows = yield* query<{
          id: string;
          user_id: string | null;
          score: number;
          level: IntentLevel;
          profile: unknown;
          profile_visitor: string | null;
          scored_at: number | string | null;
        }>(
          `SELECT l.id, l.user_id, l.score, l.level, l.profile, l.profile_visitor, l.scored_at FROM account_members m JOIN leads l ON l.id = m.lead_id
           WHERE m.account_id = $1 ORDER BY l.score DESC, l.id LIMIT $2`,
          accountId,
          limit,
        );
        const total = (yield* queryOne<{ n: number | string }>(
          'SELECT count(*) AS n FROM account_members WHERE account_id = $1',
          accountId,
        ))!.n;
        return {
          members: rows.map((r) => ({
            leadId: r.id,
            userId: r.user_id,
            score: Number(r.score),
            level: r.level,
            profile: r.profile === null ? null : json<Profile>(r.profile),
            // A lead never scored has nothing to count yet; one scored before without a whole snapshot is mid-rebuild.
            complete: r.scored_at === null || (r.profile !== null && r.profile_visitor === null),
          })),
          total: Number(total),
        };
      }, 'single'),
    saveAccountScore: (update) => db.run(() => saveAccountScore(update), update.messages.length === 0 ? 'single' : 'transaction'),
    deferAccount: async (accountId, dirtySeq) => {
      await db.run(
        () => execute('UPDATE accounts SET dirty = (dirty_seq <> $2), claimed_until = NULL WHERE id = $1', accountId, dirtySeq),
        'single',
      );
    },
    markStaleAccounts: async (levels, scoredBefore) => {
      if (levels.length === 0) return 0;
      const mark = `UPDATE accounts SET dirty = true, dirty_seq = dirty_seq + 1 WHERE NOT dirty AND ${d.inList('level', 1, 'text')} AND (scored_at IS NULL OR scored_at < $2)`;
      return db.run(() => execute(mark, levels, scoredBefore), 'sweep');
    },
    listAccounts: (accountQuery) => db.run(() => listAccounts(d, accountQuery), 'single'),
    getAccount: (id) =>
      db.run(function* () {
        const row = yield* queryOne<Record<string, unknown>>(
          `SELECT ${ACCOUNT_COLUMNS}, ${MEMBER_COUNT} FROM accounts a WHERE a.id = $1`,
          id,
        );
        return row && toAccount(row);
      }, 'single'),
    listAccountMembers: (accountId, { limit, after }) =>
      db.run(function* () {
        const params: unknown[] = [accountId];
        let cursor = '';
        if (after) {
          params.push(after.score, after.leadId);
          cursor = ' AND (l.score < $2 OR (l.score = $2 AND l.id > $3))';
        }
        params.push(limit);
        const rows = yield* query<{
          id: string;
          user_id: string | null;
          score: number;
          level: IntentLevel;
          topics: unknown;
          source: AccountSource;
          joined_at: number | string;
        }>(
          `SELECT l.id, l.user_id, l.score, l.level, l.topics, m.source, m.joined_at FROM account_members m JOIN leads l ON l.id = m.lead_id
           WHERE m.account_id = $1${cursor} ORDER BY l.score DESC, l.id LIMIT $${params.length}`,
          ...params,
        );
        return rows.map((r): AccountMember => ({
          leadId: r.id,
          userId: r.user_id,
          score: Number(r.score),
          level: r.level,
          topics: json(r.topics),
          source: r.source,
          joinedAt: Number(r.joined_at),
        }));
      }, 'single'),
    getLeadAccount: (leadId) =>
      db.run(function* () {
        const row = yield* queryOne<{ account_id: string; key: string; source: AccountSource; joined_at: number | string }>(
          'SELECT m.account_id, a.key, m.source, m.joined_at FROM account_members m JOIN accounts a ON a.id = m.account_id WHERE m.lead_id = $1',
          leadId,
        );
        return (
          row &&
          ({ accountId: row.account_id, key: row.key, source: row.source, joinedAt: Number(row.joined_at) } satisfies AccountMembership)
        );
      }, 'single'),
    listAccountMoves: ({ accountId, leadId, before, limit }) =>
      db.run(function* () {
        const params: unknown[] = [];
        const where: string[] = [];
        if (accountId !== undefined) {
          const n = params.push(accountId);
          where.push(`(from_account = $${n} OR to_account = $${n})`);
        }
        if (leadId !== undefined) where.push(`lead_id = $${params.push(leadId)}`);
        if (before !== undefined) where.push(`seq < $${params.push(before)}`);
        const rows = yield* query<MoveRow>(
          `SELECT seq, lead_id, from_account, to_account, source, at FROM account_moves ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
           ORDER BY seq DESC LIMIT $${params.push(limit)}`,
          ...params,
        );
        return rows.map((r): AccountMove => ({
          seq: Number(r.seq),
          leadId: r.lead_id,
          from: r.from_account,
          to: r.to_account,
          source: r.source,
          at: Number(r.at),
        }));
      }, 'single'),
  };
}
