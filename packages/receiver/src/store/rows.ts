// Rows of the events, leads and outbox tables as both stores read them, and their mapping to the Store's types.
// SQLite has no boolean or array type: its flags come back as 0 / 1 and its lists as JSON text, PostgreSQL's as
// booleans and arrays.
import type { AnyEvent } from '@inkling/core';
import { LEADS } from './schema.js';
import type { Lead, MessageStatus, OutboxMessage, StoredEvent } from './types.js';

export interface EventRow {
  seq: number;
  site: string;
  id: string;
  type: string;
  visitor: string;
  ts: number;
  raw_ts: string;
  sent_at: string;
  received_at: number;
  bot: boolean | number;
  clamped: boolean | number;
  body: string;
}

/** The columns of `events` that {@link toStoredEvent} reads, from a query aliasing the table as `e`. */
export const EVENT_COLUMNS = 'e.seq, e.site, e.id, e.type, e.visitor, e.ts, e.raw_ts, e.sent_at, e.received_at, e.bot, e.clamped, e.body';

/** Maps a row of `events` to a {@link StoredEvent}. */
export function toStoredEvent(row: EventRow): StoredEvent {
  return {
    seq: Number(row.seq),
    site: row.site,
    id: row.id,
    type: row.type,
    visitor: row.visitor,
    ts: Number(row.ts),
    rawTs: row.raw_ts,
    sentAt: row.sent_at,
    receivedAt: Number(row.received_at),
    bot: !!row.bot,
    clamped: !!row.clamped,
    event: JSON.parse(row.body) as AnyEvent,
  };
}

export interface MessageRow {
  id: string;
  endpoint: string;
  type: string;
  payload: string;
  lead_id: string;
  site: string;
  status: MessageStatus;
  attempts: number;
  next_attempt_at: number;
  last_status: number | null;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
}

/** The columns of `outbox` that {@link toMessage} reads. */
export const MESSAGE_COLUMNS =
  'id, endpoint, type, payload, lead_id, site, status, attempts, next_attempt_at, last_status, last_error, created_at, delivered_at';

/** Maps a row of `outbox` to an {@link OutboxMessage}. */
export function toMessage(row: MessageRow): OutboxMessage {
  return {
    id: row.id,
    endpoint: row.endpoint,
    type: row.type,
    payload: row.payload,
    leadId: row.lead_id,
    site: row.site,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastStatus: row.last_status,
    lastError: row.last_error,
    createdAt: row.created_at,
    deliveredAt: row.delivered_at,
  };
}

/** The columns of `leads` that {@link toLead} reads, from a query aliasing the table as `l` (the visitors come apart). */
export const LEAD_COLUMNS = LEADS.columns
  .filter((c) => c.field)
  .map((c) => `l.${c.name}`)
  .join(', ');

const list = (value: unknown): string[] =>
  typeof value === 'string' ? (JSON.parse(value) as string[]) : ((value as string[] | null) ?? []);

/** Maps a row of `leads` (its {@link LEAD_COLUMNS} and `visitors`) to a {@link Lead}, column by column as the table defines. */
export function toLead(row: Record<string, unknown>): Lead {
  const lead: Record<string, unknown> = { visitors: list(row['visitors']).sort() };
  for (const column of LEADS.columns) {
    if (!column.field) continue;
    const value = row[column.name];
    lead[column.field] = column.type === 'json' && typeof value === 'string' ? JSON.parse(value) : column.type === 'flag' ? !!value : value;
  }
  return lead as unknown as Lead;
}
