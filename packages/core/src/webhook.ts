import type { AccountIntent } from './model/account.js';
import type { Intent, IntentLevel, JsonObject } from './wire.js';

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

/** The account webhook types: an account became warm, became hot, or went down a level. */
export type AccountWebhookType = 'account.warm' | 'account.hot' | 'account.cooled';

/**
 * The JSON body of an account webhook (signed per Standard Webhooks, like the lead webhooks): several people of one
 * company researching together. `data` is the account, its score, level, previous level, reasons, topics (each with
 * the people who researched it) and its strongest members.
 *
 * @example
 * { "type": "account.warm", "timestamp": "2026-03-01T10:00:00.000Z",
 *   "data": { "account": { "id": "0195...", "site": "example.com", "key": "northwind", "source": "group", "traits": { "name": "Northwind" }, "members": 2 },
 *             "score": 65, "level": "warm", "previous": "cold", "people": 2, "recentPeople": 2,
 *             "reasons": ["2 people researched reconciliation this week", "2 people viewed pricing twice between them"], "model": "account-1",
 *             "topics": [{ "name": "reconciliation", "reads": 2, "minutes": 7, "score": 16, "people": 2 }],
 *             "leads": [{ "id": "0195...", "userId": "ada@northwind.com", "score": 34, "level": "cold" }] } }
 */
export interface AccountWebhookPayload {
  type: AccountWebhookType;
  /** When the level changed, ISO-8601. */
  timestamp: string;
  data: Omit<AccountIntent, 'members'> & {
    account: {
      id: string;
      site: string;
      /** The `group` id as given, or `domain:<domain>`. */
      key: string;
      source: 'group' | 'domain';
      /** The latest `group` traits, or `null`. */
      traits: JsonObject | null;
      /** Members in all. */
      members: number;
    };
    /** The strongest members, highest score first (at most 10). */
    leads: { id: string; userId: string | null; score: number; level: IntentLevel }[];
  };
}
