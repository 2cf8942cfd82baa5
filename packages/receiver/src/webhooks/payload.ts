import { uuidv7 } from '@inkling/core';
import type {
  AccountIntent,
  AccountWebhookPayload,
  AccountWebhookType,
  Intent,
  IntentLevel,
  IntentWebhookPayload,
  IntentWebhookType,
  TopicInterest,
} from '@inkling/core';
import type { Account, Lead, NewMessage, StoredEvent } from '../store/types.js';

export type { AccountWebhookPayload, AccountWebhookType, IntentWebhookPayload, IntentWebhookType } from '@inkling/core';

/** Every webhook type: the level changes of leads and accounts, and `lead.converted` for a conversion at any level. */
export type WebhookType = IntentWebhookType | AccountWebhookType | 'lead.converted';

const RANK: Record<IntentLevel, number> = { cold: 0, warm: 1, hot: 2 };

/** The webhook a level change causes, or `undefined` when the level did not change. */
export function getWebhookType(previous: IntentLevel, level: IntentLevel): IntentWebhookType | undefined {
  if (RANK[level] > RANK[previous]) return level === 'hot' ? 'lead.hot' : 'lead.warm';
  if (RANK[level] < RANK[previous]) return 'lead.cooled';
  return undefined;
}

/** One outbox message per endpoint for a level change, all with the same `webhook-id` and body. */
export function createWebhookMessages(
  lead: Lead,
  intent: Intent,
  previous: IntentLevel,
  endpoints: readonly string[],
  now: number,
): NewMessage[] {
  const type = getWebhookType(previous, intent.level);
  if (!type || endpoints.length === 0) return [];
  const payload: IntentWebhookPayload = {
    type,
    timestamp: new Date(now).toISOString(),
    data: {
      lead: { id: lead.id, site: lead.site, userId: lead.userId, visitors: lead.visitors },
      score: intent.score,
      level: intent.level,
      previous,
      reasons: intent.reasons,
      model: intent.model,
      topics: intent.topics,
    },
  };
  const id = `msg_${uuidv7(now).replace(/-/g, '')}`;
  const body = JSON.stringify(payload);
  return endpoints.map((endpoint) => ({
    id,
    endpoint,
    type,
    payload: body,
    leadId: lead.id,
    site: lead.site,
    createdAt: now,
    nextAttemptAt: now,
  }));
}

/**
 * The JSON body of a `lead.converted` webhook: the lead did one of the model's conversions (`demo_request` and
 * the others in `conversions`), whatever its level. Sent once per conversion event (its `webhook-id` is derived
 * from the event), and repeats of the same conversion by the same lead within {@link CONVERSION_DEBOUNCE_MS}
 * (a double submit, a reload of the thank-you page) are one.
 *
 * @example
 * { "type": "lead.converted", "timestamp": "2026-03-01T10:00:00.000Z",
 *   "data": { "lead": { "id": "0195...", "site": "example.com", "userId": "ada@example.com", "visitors": ["v_..."] },
 *             "conversion": { "name": "demo_request", "reason": "requested a demo", "eventId": "0195...", "at": "2026-03-01T09:59:30.000Z", "path": "/contact" },
 *             "score": 100, "level": "hot", "reasons": ["requested a demo", "viewed pricing twice"], "model": "default-2" } }
 */
export interface ConversionWebhookPayload {
  type: 'lead.converted';
  /** When the receiver noticed the conversion, ISO-8601. */
  timestamp: string;
  data: {
    lead: { id: string; site: string; userId: string | null; visitors: string[] };
    conversion: {
      /** The `track` event's name. */
      name: string;
      /** The model's reason for it. */
      reason: string;
      eventId: string;
      /** When it happened (corrected time), ISO-8601. */
      at: string;
      /** The page it happened on. */
      path: string;
    };
    score: number;
    level: IntentLevel;
    reasons: string[];
    model: string;
    /** What the lead has been researching, strongest first (as in every intent webhook). */
    topics: TopicInterest[];
  };
}

/** Repeats of one conversion by one lead within this window are one webhook: a double click or a reload. */
export const CONVERSION_DEBOUNCE_MS = 10 * 60 * 1000;
/**
 * Conversions older than this are not announced: a lead re-scored later (or webhooks configured later) does not
 * replay old news. Shorter than the outbox keeps delivered messages (7 days), so the outbox's id check holds.
 */
export const CONVERSION_MAX_AGE_MS = 24 * 3600 * 1000;

/**
 * The conversions of a lead worth a webhook at `now`: `track` events named in `conversions`, at most
 * {@link CONVERSION_MAX_AGE_MS} old, without an earlier one of the same name within {@link CONVERSION_DEBOUNCE_MS}.
 */
export function getNewConversions(
  events: readonly StoredEvent[],
  conversions: Readonly<Record<string, string>>,
  now: number,
): StoredEvent[] {
  const lastKept: Record<string, number> = {};
  const found: StoredEvent[] = [];
  for (const stored of events) {
    const event = stored.event;
    if (stored.bot || event.type !== 'track' || !Object.hasOwn(conversions, event.props.name)) continue;
    const previous = lastKept[event.props.name];
    if (previous !== undefined && stored.ts - previous < CONVERSION_DEBOUNCE_MS) continue;
    lastKept[event.props.name] = stored.ts;
    if (stored.ts >= now - CONVERSION_MAX_AGE_MS) found.push(stored);
  }
  return found;
}

/** One `lead.converted` message per endpoint for a conversion event; the id is the event's, so it is sent once. */
export function createConversionMessages(
  lead: Lead,
  intent: Intent,
  conversion: StoredEvent,
  conversions: Readonly<Record<string, string>>,
  endpoints: readonly string[],
  now: number,
): NewMessage[] {
  if (conversion.event.type !== 'track' || endpoints.length === 0) return [];
  const name = conversion.event.props.name;
  const payload: ConversionWebhookPayload = {
    type: 'lead.converted',
    timestamp: new Date(now).toISOString(),
    data: {
      lead: { id: lead.id, site: lead.site, userId: lead.userId, visitors: lead.visitors },
      conversion: {
        name,
        reason: conversions[name] ?? name,
        eventId: conversion.id,
        at: new Date(conversion.ts).toISOString(),
        path: conversion.event.page.path,
      },
      score: intent.score,
      level: intent.level,
      reasons: intent.reasons,
      model: intent.model,
      topics: intent.topics,
    },
  };
  // Derived from the lead and the event: a re-score makes the same id, which the outbox skips.
  const id = `msg_cv_${lead.id.replace(/-/g, '')}_${conversion.id.replace(/-/g, '')}`;
  const body = JSON.stringify(payload);
  return endpoints.map((endpoint) => ({
    id,
    endpoint,
    type: 'lead.converted',
    payload: body,
    leadId: lead.id,
    site: lead.site,
    createdAt: now,
    nextAttemptAt: now,
  }));
}

/** Members an account webhook names, strongest first. */
export const ACCOUNT_WEBHOOK_LEADS = 10;

/** The account webhook a level change causes, or `undefined` when the level did not change. */
export function getAccountWebhookType(previous: IntentLevel, level: IntentLevel): AccountWebhookType | undefined {
  const type = getWebhookType(previous, level);
  return type && (`account.${type.slice('lead.'.length)}` as AccountWebhookType);
}

/** One outbox message per endpoint for an account's level change, all with the same `webhook-id` and body. */
export function createAccountWebhookMessages(
  account: Account,
  intent: AccountIntent,
  previous: IntentLevel,
  leads: readonly { leadId: string; userId: string | null; score: number; level: IntentLevel }[],
  endpoints: readonly string[],
  now: number,
): NewMessage[] {
  const type = getAccountWebhookType(previous, intent.level);
  if (!type || endpoints.length === 0) return [];
  // `members` is the account's own count, given with the account.
  const { members: _scored, ...judgement } = intent;
  const payload: AccountWebhookPayload = {
    type,
    timestamp: new Date(now).toISOString(),
    data: {
      account: {
        id: account.id,
        site: account.site,
        key: account.key,
        source: account.source,
        traits: account.traits,
        members: account.members,
      },
      ...judgement,
      previous,
      leads: leads.slice(0, ACCOUNT_WEBHOOK_LEADS).map((m) => ({ id: m.leadId, userId: m.userId, score: m.score, level: m.level })),
    },
  };
  const id = `msg_${uuidv7(now).replace(/-/g, '')}`;
  const body = JSON.stringify(payload);
  return endpoints.map((endpoint) => ({
    id,
    endpoint,
    type,
    payload: body,
    leadId: account.id,
    site: account.site,
    createdAt: now,
    nextAttemptAt: now,
  }));
}
