import { uuidv7 } from '@inkling/core';
import type { AnyEvent, EventPropsMap, EventType, PageInfo } from '@inkling/core';
import type { GroupCall } from './account.js';
import type { Visits } from './signals/visits.js';

/** An event as a signal made it: what, when and on which page, not yet whose. Consent decides its fate. */
export interface Pending {
  id: string;
  type: EventType;
  /** When it happened, Unix ms. */
  t: number;
  props: EventPropsMap[EventType];
  page: PageInfo;
  /** Stored but not sent while the tab lives (a hidden page's engagement). */
  _hold?: boolean | undefined;
  /** The page's URL and referrer, on a page load: a visit starting here takes its source from them. */
  _landing?: [string, string] | undefined;
}

// Not activity: an engagement sent as a page closes, an intent change, an erasure. They neither extend nor start a visit.
const PASSIVE_TYPES = /^(page_engagement|intent|forget)$/;

/**
 * The events a pending event becomes on the wire, stamped with the visitor, the visit, the linked user and
 * the account: a `visit_start` first when this activity begins a visit. An `identify` links its user here,
 * and a `group` its account, so it and every later event carry them; a `group` leaving the account
 * (`accountId: null`) becomes no event.
 */
export function toEvents(p: Pending, visits: Visits): AnyEvent[] {
  let events: AnyEvent[] = [];
  if (p.type == 'group') {
    const { accountId } = p.props as GroupCall;
    visits._group(accountId);
    if (!accountId) return events;
  }
  if (!PASSIVE_TYPES.test(p.type)) {
    const start = visits._touch(p.t, p._landing);
    // The same time and page; the visit has started, so its landing is not read again.
    if (start) events = toEvents({ ...p, id: uuidv7(p.t), type: 'visit_start', props: start }, visits);
  }
  if (p.type === 'identify') visits._link((p.props as EventPropsMap['identify']).userId);
  const { v, s, u, g } = visits._get();
  const event = {
    id: p.id,
    type: p.type,
    ts: new Date(p.t).toISOString(),
    visitor: v,
    session: s,
    page: p.page,
    props: p.props,
  } as AnyEvent;
  if (u) event.user = u;
  if (g) event.account = g;
  events.push(event);
  return events;
}
