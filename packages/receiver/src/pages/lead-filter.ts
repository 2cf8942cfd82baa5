import type { IntentLevel } from '@inkling/core';
import { RequestError } from '../errors.js';
import type { LeadSearch } from '../store/types.js';
import { parseTopic } from './leads-api.js';

const LEVELS: readonly IntentLevel[] = ['hot', 'warm', 'cold'];
const SORTS = ['score', 'seen', 'change'] as const;
const SINCE_DAYS: Record<string, number> = { '1d': 1, '7d': 7, '30d': 30, '90d': 90 };
const DAY_MS = 24 * 3600 * 1000;

/** How the leads list is ordered: by score, by when the lead was last seen, or by its latest level change. */
export type LeadSort = (typeof SORTS)[number];

/** The leads list's filters, from the page's query string. Every field narrows the list. */
export interface LeadFilter {
  /** `?level=hot&level=warm` (or `hot,warm`). @default hot and warm */
  levels: IntentLevel[];
  /** `?site=example.com`. @default every site */
  site: string | undefined;
  /** `?since=1d|7d|30d|90d`: seen within that many days. @default any time */
  since: string | undefined;
  /** `?topic=payroll`: leads with the topic among their three strongest (as webhook routing picks them). */
  topic: string | undefined;
  /** `?q=`: part of the lead id, the user id, a visitor id or a value of the lead's traits, any case. */
  q: string | undefined;
  /** `?sort=score|seen|change`. @default 'score' */
  sort: LeadSort;
  /** `?page=2`, from 1. */
  page: number;
}

/** Reads the leads list's query string; answers 400 naming a bad parameter and what it accepts. */
export function parseLeadFilter(url: URL): LeadFilter {
  const params = url.searchParams;
  const levels = params
    .getAll('level')
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  for (const level of levels) {
    if (!LEVELS.includes(level as IntentLevel))
      throw new RequestError('invalid_query', 400, `level: expected hot, warm or cold, got ${JSON.stringify(level.slice(0, 32))}`);
  }
  const since = params.get('since') || undefined;
  if (since !== undefined && !(since in SINCE_DAYS))
    throw new RequestError(
      'invalid_query',
      400,
      `since: expected one of ${Object.keys(SINCE_DAYS).join(', ')}, got ${JSON.stringify(since.slice(0, 32))}`,
    );
  const sort = params.get('sort') || 'score';
  if (!SORTS.includes(sort as LeadSort))
    throw new RequestError('invalid_query', 400, `sort: expected score, seen or change, got ${JSON.stringify(sort.slice(0, 32))}`);
  const pageText = params.get('page') || '1';
  const page = Number(pageText);
  if (!Number.isInteger(page) || page < 1 || page > 10_000)
    throw new RequestError('invalid_query', 400, `page: expected a whole number from 1, got ${JSON.stringify(pageText.slice(0, 32))}`);
  const q = params.get('q')?.trim().slice(0, 200) || undefined;
  const topic = parseTopic(params.get('topic'));
  return {
    levels: levels.length ? [...new Set(levels as IntentLevel[])] : ['hot', 'warm'],
    site: params.get('site') || undefined,
    since,
    topic,
    q,
    sort: sort as LeadSort,
    page,
  };
}

/** The store query of `filter`'s page of `pageSize` leads, with "seen since" measured back from `now`. */
export function toLeadSearch(filter: LeadFilter, now: number, pageSize: number): LeadSearch {
  return {
    levels: filter.levels,
    ...(filter.site === undefined ? {} : { site: filter.site }),
    ...(filter.topic === undefined ? {} : { topic: filter.topic }),
    ...(filter.since === undefined ? {} : { seenSince: now - SINCE_DAYS[filter.since]! * DAY_MS }),
    ...(filter.q === undefined ? {} : { text: filter.q }),
    sort: filter.sort,
    offset: (filter.page - 1) * pageSize,
    limit: pageSize,
  };
}

/** The query string of `filter` with `changes` applied, for links that keep the other filters. */
export function filterQuery(filter: LeadFilter, changes: Partial<LeadFilter> = {}): string {
  const next = { ...filter, ...changes };
  const params = new URLSearchParams();
  for (const level of next.levels) params.append('level', level);
  if (next.site) params.set('site', next.site);
  if (next.since) params.set('since', next.since);
  if (next.topic) params.set('topic', next.topic);
  if (next.q) params.set('q', next.q);
  if (next.sort !== 'score') params.set('sort', next.sort);
  if (next.page > 1) params.set('page', String(next.page));
  return params.toString();
}

export { SINCE_DAYS };
