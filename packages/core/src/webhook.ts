import type { Intent } from './wire.js';

/** The intent webhook types: a lead became warm, became hot, or went down a level. */
export type IntentWebhookType = 'lead.warm' | 'lead.hot' | 'lead.cooled';

/** The lead an intent webhook is about. */
export interface IntentWebhookLead {
  /** The receiver's lead id. */
  id: string;
  site: string;
  /** The `userId` of the lead's accepted `identify`, or `null` while anonymous. */
  userId: string | null;
  /** The anonymous visitor ids linked to the lead. */
  visitors: string[];
}

/**
 * The JSON body of an intent webhook (signed per Standard Webhooks; check it with `verifyWebhook` from
 * `@inkling/receiver/verify`). `data` is the lead and its {@link Intent}: score, level, previous level, reasons
 * and model version.
 *
 * @example
 * { "type": "lead.warm", "timestamp": "2026-03-01T10:00:00.000Z",
 *   "data": { "lead": { "id": "0195...", "site": "example.com", "userId": null, "visitors": ["v_..."] },
 *             "score": 58, "level": "warm", "previous": "cold", "reasons": ["read 3 articles (11 min)"], "model": "default-2" } }
 */
export interface IntentWebhookPayload {
  type: IntentWebhookType;
  /** When the level changed, ISO-8601. */
  timestamp: string;
  data: Intent & { lead: IntentWebhookLead };
}
