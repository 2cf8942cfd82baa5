import type { AnyEvent } from '@inkling/core';
import { RequestError } from '../errors.js';
import type { LeadNote, StoredEvent } from '../store/types.js';

/** One line of a lead's timeline: a signal (an event) or a note (an identity link or conflict). */
export interface TimelineItem {
  /** Corrected time, ms. */
  at: number;
  kind: 'signal' | 'note';
  /** The event type, or the note kind. */
  type: string;
  /** What happened, for people: `Read an article`, `Viewed a pricing page`. */
  label: string;
  /** The page (path and title) or other detail. */
  detail: string;
  /** The event id, for signals. */
  eventId?: string;
}

/** A page of a lead's timeline. */
export interface TimelinePage {
  items: TimelineItem[];
  /** Pass as `?cursor=` for the next (older) page; `null` on the last page. */
  nextCursor: string | null;
}

/** `track` names that are conversions, with the reason the model gives them (`demo_request: 'requested a demo'`). */
export type ConversionNames = Readonly<Record<string, string>>;

/** "a pricing page", "an article page", "a case study page". */
function aPage(kind: string): string {
  const words = kind.replace(/[_-]+/g, ' ');
  return `${/^[aeiou]/i.test(words) ? 'an' : 'a'} ${words} page`;
}

function minutes(ms: number): string {
  const m = Math.round(ms / 60000);
  return m < 1 ? 'under a minute' : `${m} min`;
}

function page(event: AnyEvent): string {
  return event.page.title ? `${event.page.title} (${event.page.path})` : event.page.path;
}

/** What a timeline line says about one event (`Read an article (4 min)`), and its page. */
export function describeEvent(event: AnyEvent, conversions: ConversionNames): { label: string; detail: string } {
  switch (event.type) {
    case 'page_view':
      return { label: event.page.kind === 'other' ? 'Viewed a page' : `Viewed ${aPage(event.page.kind)}`, detail: page(event) };
    case 'page_engagement':
      return {
        label: `Spent ${minutes(event.props.attentiveMs)} on a page, ${Math.round(event.props.scrollDepth * 100)}% scrolled`,
        detail: page(event),
      };
    case 'article_read':
      return { label: `Read an article (${minutes(event.props.attentiveMs)})`, detail: page(event) };
    case 'visit_start': {
      const since = event.props.daysSinceLast === null ? 'first visit' : `${event.props.daysSinceLast} days after the last`;
      return {
        label: `Visit ${event.props.visit} (${since})`,
        detail: `from ${event.props.lastTouch.source} / ${event.props.lastTouch.medium}`,
      };
    }
    case 'track': {
      const conversion = conversions[event.props.name];
      // A conversion reads as the model's reason for it ("Requested a demo"); another event by its name.
      return {
        label: conversion ? conversion[0]!.toUpperCase() + conversion.slice(1) : `Event “${event.props.name}”`,
        detail: page(event),
      };
    }
    case 'identify':
      return { label: `Identified as ${event.props.userId}`, detail: page(event) };
    case 'intent':
      return { label: `Browser claimed ${event.props.level} (${event.props.score}); not used for scoring`, detail: page(event) };
    case 'forget':
      return { label: 'Asked to be forgotten', detail: '' };
    default:
      // An event type from a newer wire format, stored before this receiver learnt it.
      return { label: String((event as { type: unknown }).type), detail: '' };
  }
}

const keyOf = (item: TimelineItem) => item.eventId ?? `~${item.type}:${item.detail}`;

/** A lead's timeline, newest first (ties in a fixed order, so pages never overlap): its signals and notes. */
export function buildTimeline(
  events: readonly StoredEvent[],
  notes: readonly LeadNote[],
  conversions: ConversionNames = {},
): TimelineItem[] {
  const items: TimelineItem[] = events.map((e) => ({
    at: e.ts,
    kind: 'signal',
    type: e.type,
    ...describeEvent(e.event, conversions),
    eventId: e.id,
  }));
  for (const note of notes)
    items.push({
      at: note.at,
      kind: 'note',
      type: note.kind,
      label: note.kind === 'identity_conflict' ? 'Identity conflict' : 'Identified',
      detail: note.text,
    });
  return items.sort((a, b) => b.at - a.at || (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
}

function encodeCursor(item: TimelineItem): string {
  // URI-encoded first: a note's text may hold any character, and btoa takes Latin-1 only.
  return btoa(encodeURIComponent(JSON.stringify([item.at, keyOf(item)])))
    .replace(/=+$/, '')
    .replace(/\+/g, '-')
    .replace(/\//g, '_');
}

function decodeCursor(cursor: string): [number, string] {
  try {
    const [at, key] = JSON.parse(decodeURIComponent(atob(cursor.replace(/-/g, '+').replace(/_/g, '/')))) as [unknown, unknown];
    if (typeof at === 'number' && typeof key === 'string') return [at, key];
  } catch {
    // Reported below.
  }
  throw new RequestError('invalid_query', 400, 'cursor: expected the nextCursor of a previous timeline page, got something else');
}

/** One page of a timeline built by {@link buildTimeline}: the `limit` items after `cursor` (from the start without one). */
export function pageTimeline(items: readonly TimelineItem[], limit: number, cursor?: string | null): TimelinePage {
  let start = 0;
  if (cursor) {
    const [at, key] = decodeCursor(cursor);
    const index = items.findIndex((item) => item.at < at || (item.at === at && keyOf(item) > key));
    start = index === -1 ? items.length : index;
  }
  const page = items.slice(start, start + limit);
  const last = page[page.length - 1];
  return { items: page, nextCursor: start + limit < items.length && last ? encodeCursor(last) : null };
}
