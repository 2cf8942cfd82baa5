import { uuidv7 } from '@inkling/core';
import type { Intent, IntentLevel, IntentWebhookPayload, IntentWebhookType } from '@inkling/core';
import type { Lead, NewMessage } from '../store/types.js';

const RANK: Record<IntentLevel, number> = { cold: 0, warm: 1, hot: 2 };

/** The webhook a level change causes, or `undefined` when the level did not change. */
export function getWebhookType(previous: IntentLevel, level: IntentLevel): IntentWebhookType | undefined {
  if (RANK[level] > RANK[previous]) return level === 'hot' ? 'lead.hot' : 'lead.warm';
  if (RANK[level] < RANK[previous]) return 'lead.cooled';
  return undefined;
}

/** One outbox message per endpoint for a level change, all with the same `webhook-id` and body. */
export function createWebhookMessages(lead: Lead, intent: Intent, previous: IntentLevel, endpoints: readonly string[], now: number): NewMessage[] {
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
    },
  };
  const id = `msg_${uuidv7(now).replace(/-/g, '')}`;
  const body = JSON.stringify(payload);
  return endpoints.map((endpoint) => ({ id, endpoint, type, payload: body, leadId: lead.id, site: lead.site, createdAt: now, nextAttemptAt: now }));
}
