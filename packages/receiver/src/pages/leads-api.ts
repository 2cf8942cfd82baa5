import type { IntentLevel } from '@inkling/core';
import { RequestError } from '../errors.js';
import { jsonResponse } from '../http/responses.js';
import type { AccountMembership, Lead, Store } from '../store/types.js';
import { buildTimeline, pageTimeline } from './timeline.js';
import type { ConversionNames, TimelineItem } from './timeline.js';

const LEVELS: readonly IntentLevel[] = ['cold', 'warm', 'hot'];
const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 200;
/** Timeline lines per page of `GET /leads/:id`: enough for a conversation, bounded for a long-time visitor. */
export const TIMELINE_LIMIT = 100;
const MAX_TIMELINE_LIMIT = 500;

/** A page of `GET /leads`. */
export interface LeadPage {
  leads: Lead[];
  /** Pass as `?cursor=` for the next page; `null` on the last page. */
  nextCursor: string | null;
}

function encodeCursor(lead: Lead): string {
  return btoa(JSON.stringify([lead.score, lead.id]))
    .replace(/=+$/, '')
    .replace(/\+/g, '-')
    .replace(/\//g, '_');
}

function decodeCursor(cursor: string): { score: number; id: string } {
  try {
    const [score, id] = JSON.parse(atob(cursor.replace(/-/g, '+').replace(/_/g, '/'))) as [unknown, unknown];
    if (typeof score === 'number' && typeof id === 'string') return { score, id };
  } catch {
    // Reported below.
  }
  throw new RequestError('invalid_query', 400, 'cursor: expected the nextCursor of a previous page, got something else');
}

export function parseLevels(value: string | null): IntentLevel[] | undefined {
  if (value === null || value === '') return undefined;
  const levels = value.split(',').map((s) => s.trim());
  for (const level of levels) {
    if (!LEVELS.includes(level as IntentLevel))
      throw new RequestError('invalid_query', 400, `level: expected cold, warm or hot (comma-separated), got ${JSON.stringify(level)}`);
  }
  return levels as IntentLevel[];
}

export function parseLimit(value: string | null, fallback = DEFAULT_PAGE_SIZE, max = MAX_PAGE_SIZE): number {
  if (value === null) return fallback;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > max)
    throw new RequestError(
      'invalid_query',
      400,
      `limit: expected a whole number from 1 to ${max}, got ${JSON.stringify(value.slice(0, 32))}`,
    );
  return limit;
}

/** `?topic=`: one topic name, compared lower-case as pages carry topics; 64 characters at most, like theirs. */
export function parseTopic(value: string | null): string | undefined {
  const topic = value?.trim().toLowerCase();
  if (!topic) return undefined;
  if (topic.length > 64)
    throw new RequestError('invalid_query', 400, `topic: expected a topic name of at most 64 characters, got ${topic.length}`);
  return topic;
}

/** `GET /leads?level=warm,hot&topic=payroll&site=...&limit=50&cursor=...`: leads by score, highest first, cursor-paged. */
export async function handleLeads(url: URL, store: Store): Promise<Response> {
  const levels = parseLevels(url.searchParams.get('level'));
  const limit = parseLimit(url.searchParams.get('limit'));
  const cursor = url.searchParams.get('cursor');
  const site = url.searchParams.get('site');
  const topic = parseTopic(url.searchParams.get('topic'));
  const leads = await store.listLeads({
    limit: limit + 1,
    ...(levels ? { levels } : {}),
    ...(topic ? { topic } : {}),
    ...(site ? { site } : {}),
    ...(cursor ? { after: decodeCursor(cursor) } : {}),
  });
  const page = leads.slice(0, limit);
  const last = page[page.length - 1];
  const body: LeadPage = { leads: page, nextCursor: leads.length > limit && last ? encodeCursor(last) : null };
  return jsonResponse(body);
}

/** The body of `GET /leads/:id`. */
export interface LeadDetail {
  lead: Lead;
  /** The account the lead belongs to now (see `GET /accounts/:id`), or `null`. */
  account: AccountMembership | null;
  /** One page of the timeline, newest first. */
  timeline: TimelineItem[];
  /** Pass as `?cursor=` for the next (older) page of the timeline; `null` on the last page. */
  nextCursor: string | null;
}

/** `GET /leads/:id?limit=100&cursor=...`: one lead with its reasons and a page of its timeline (newest first). */
export async function handleLead(url: URL, id: string, store: Store, conversions: ConversionNames): Promise<Response> {
  const limit = parseLimit(url.searchParams.get('limit'), TIMELINE_LIMIT, MAX_TIMELINE_LIMIT);
  const lead = await store.getLead(id);
  if (!lead) throw new RequestError('lead_not_found', 404, `lead: no lead with id ${JSON.stringify(id.slice(0, 64))}`);
  const [events, notes, account] = await Promise.all([
    store.getLeadEvents(id, { newestFirst: true }),
    store.getLeadNotes(id),
    store.getLeadAccount(id),
  ]);
  const page = pageTimeline(buildTimeline(events, notes, conversions), limit, url.searchParams.get('cursor'));
  const body: LeadDetail = { lead, account: account ?? null, timeline: page.items, nextCursor: page.nextCursor };
  return jsonResponse(body);
}
