import type { AnyEvent } from '@inkling/core';
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

function minutes(ms: number): string {
  const m = Math.round(ms / 60000);
  return m < 1 ? 'under a minute' : `${m} min`;
}

function page(event: AnyEvent): string {
  return event.page.title ? `${event.page.title} (${event.page.path})` : event.page.path;
}

function describe(event: AnyEvent): { label: string; detail: string } {
  switch (event.type) {
    case 'page_view':
      return { label: event.page.kind === 'other' ? 'Viewed a page' : `Viewed a ${event.page.kind} page`, detail: page(event) };
    case 'page_engagement':
      return { label: `Spent ${minutes(event.props.attentiveMs)} on a page, ${Math.round(event.props.scrollDepth * 100)}% scrolled`, detail: page(event) };
    case 'article_read':
      return { label: `Read an article (${minutes(event.props.attentiveMs)})`, detail: page(event) };
    case 'visit_start': {
      const since = event.props.daysSinceLast === null ? 'first visit' : `${event.props.daysSinceLast} days after the last`;
      return { label: `Visit ${event.props.visit} (${since})`, detail: `from ${event.props.lastTouch.source} / ${event.props.lastTouch.medium}` };
    }
    case 'track':
      return { label: `Did "${event.props.name}"`, detail: page(event) };
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

/** A lead's timeline, newest first: its signals and notes merged by time. */
export function buildTimeline(events: readonly StoredEvent[], notes: readonly LeadNote[]): TimelineItem[] {
  const items: TimelineItem[] = events.map((e) => ({ at: e.ts, kind: 'signal', type: e.type, ...describe(e.event), eventId: e.id }));
  for (const note of notes) items.push({ at: note.at, kind: 'note', type: note.kind, label: note.kind === 'identity_conflict' ? 'Identity conflict' : 'Identified', detail: note.text });
  return items.sort((a, b) => b.at - a.at);
}
