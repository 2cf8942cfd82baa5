import { RequestError } from '../errors.js';
import { jsonResponse } from '../http/responses.js';
import type { Account, AccountMember, AccountMove, Store } from '../store/types.js';
import { parseLevels, parseLimit } from './leads-api.js';

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 200;
/** Members listed per page of `GET /accounts/:id`, highest score first. */
export const ACCOUNT_MEMBERS_LIMIT = 50;
/** Timeline lines (moves into and out of the account) per page of `GET /accounts/:id`. */
export const ACCOUNT_TIMELINE_LIMIT = 100;
const MAX_TIMELINE_LIMIT = 500;

/** A page of `GET /accounts`. */
export interface AccountPage {
  accounts: Account[];
  /** Pass as `?cursor=` for the next page; `null` on the last page. */
  nextCursor: string | null;
}

/** One line of an account's timeline: a lead joined or left it. */
export interface AccountTimelineItem {
  at: number;
  kind: 'joined' | 'left';
  leadId: string;
  /** How the lead came to the account it joined: a `group` call, or its e-mail domain. */
  source: AccountMove['source'];
  /** The other account: the one left on joining (`null` for a lead's first), the one joined on leaving. */
  other: string | null;
  /** `pass as ?before=` to page back from this line. */
  seq: number;
}

/** The body of `GET /accounts/:id`. */
export interface AccountDetail {
  account: Account;
  /** The strongest members, highest score first (`?members=` of them, 50 by default). */
  members: AccountMember[];
  /** Moves into and out of the account, newest first. */
  timeline: AccountTimelineItem[];
  /** Pass as `?before=` for the next (older) page of the timeline; `null` on the last page. */
  nextBefore: number | null;
}

const encode = (value: unknown) => btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');

function decodeCursor(cursor: string): { score: number; id: string } {
  try {
    const [score, id] = JSON.parse(atob(cursor.replace(/-/g, '+').replace(/_/g, '/'))) as [unknown, unknown];
    if (typeof score === 'number' && typeof id === 'string') return { score, id };
  } catch {
    // Reported below.
  }
  throw new RequestError('invalid_query', 400, 'cursor: expected the nextCursor of a previous page, got something else');
}

function parseBefore(value: string | null): number | undefined {
  if (value === null) return undefined;
  const before = Number(value);
  if (!Number.isSafeInteger(before) || before < 1)
    throw new RequestError(
      'invalid_query',
      400,
      `before: expected the nextBefore of a previous page, got ${JSON.stringify(value.slice(0, 32))}`,
    );
  return before;
}

/** `GET /accounts?level=warm,hot&site=...&limit=50&cursor=...`: accounts by score, highest first, cursor-paged. */
export async function handleAccounts(url: URL, store: Store): Promise<Response> {
  const levels = parseLevels(url.searchParams.get('level'));
  const limit = parseLimit(url.searchParams.get('limit'), DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  const cursor = url.searchParams.get('cursor');
  const site = url.searchParams.get('site');
  const accounts = await store.listAccounts({
    limit: limit + 1,
    ...(levels ? { levels } : {}),
    ...(site ? { site } : {}),
    ...(cursor ? { after: decodeCursor(cursor) } : {}),
  });
  const page = accounts.slice(0, limit);
  const last = page[page.length - 1];
  const body: AccountPage = { accounts: page, nextCursor: accounts.length > limit && last ? encode([last.score, last.id]) : null };
  return jsonResponse(body);
}

/** The timeline lines of moves, as seen from account `id`. */
export function toAccountTimeline(id: string, moves: readonly AccountMove[]): AccountTimelineItem[] {
  return moves.map((m) =>
    m.to === id
      ? { at: m.at, kind: 'joined', leadId: m.leadId, source: m.source, other: m.from, seq: m.seq }
      : { at: m.at, kind: 'left', leadId: m.leadId, source: m.source, other: m.to, seq: m.seq },
  );
}

/**
 * `GET /accounts/:id?members=50&limit=100&before=...`: one account with its score, reasons and topics, its strongest
 * members, and a page of its timeline (who joined and left, newest first).
 */
export async function handleAccount(url: URL, id: string, store: Store): Promise<Response> {
  const members = parseLimit(url.searchParams.get('members'), ACCOUNT_MEMBERS_LIMIT, MAX_PAGE_SIZE);
  const limit = parseLimit(url.searchParams.get('limit'), ACCOUNT_TIMELINE_LIMIT, MAX_TIMELINE_LIMIT);
  const before = parseBefore(url.searchParams.get('before'));
  const account = await store.getAccount(id);
  if (!account) throw new RequestError('account_not_found', 404, `account: no account with id ${JSON.stringify(id.slice(0, 64))}`);
  const [list, moves] = await Promise.all([
    store.listAccountMembers(id, { limit: members }),
    store.listAccountMoves({ accountId: id, limit: limit + 1, ...(before !== undefined ? { before } : {}) }),
  ]);
  const page = moves.slice(0, limit);
  const body: AccountDetail = {
    account,
    members: list,
    timeline: toAccountTimeline(id, page),
    nextBefore: moves.length > limit ? (page[page.length - 1]?.seq ?? null) : null,
  };
  return jsonResponse(body);
}
