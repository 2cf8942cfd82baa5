import type { IntentModel } from './score-events.js';
import { scoreEvents } from './score-events.js';
import type { DirtyLead, Store } from '../store/types.js';
import { createWebhookMessages } from '../webhooks/payload.js';

export interface ScoringOptions {
  store: Store;
  model: IntentModel;
  now: () => number;
  /** Webhook endpoint URLs a level change is sent to. */
  endpoints: readonly string[];
  /** A lead that fails to score is reported here and retried when its claim expires. */
  onError: (error: unknown) => void;
}

/** Leads claimed per round. */
const CLAIM_LIMIT = 50;

/** A claim that outlives a crashed worker: after this, another worker scores the lead. */
const LEASE_MS = 60_000;

/**
 * Scores dirty leads off the request path: each lead is re-folded from all its stored non-bot events, and a level
 * change enqueues its webhooks in the same transaction as the score.
 */
export function createScoring(options: ScoringOptions): { scoreDirty(): Promise<number> } {
  const { store, model, now } = options;

  async function scoreLead(dirty: DirtyLead): Promise<void> {
    const at = now();
    const intent = scoreEvents(await store.getLeadEvents(dirty.id), model, at, dirty.level);
    let messages: ReturnType<typeof createWebhookMessages> = [];
    if (intent.level !== dirty.level && options.endpoints.length > 0) {
      const lead = await store.getLead(dirty.id);
      const disabled = new Set(await store.getDisabledEndpoints());
      if (lead) messages = createWebhookMessages(lead, intent, dirty.level, options.endpoints.filter((url) => !disabled.has(url)), at);
    }
    await store.saveScore({ leadId: dirty.id, dirtySeq: dirty.dirtySeq, score: intent.score, level: intent.level, reasons: intent.reasons, model: intent.model, scoredAt: at, messages, from: dirty.level });
  }

  return {
    async scoreDirty() {
      let count = 0;
      for (;;) {
        const dirty = await store.claimDirtyLeads(CLAIM_LIMIT, now(), LEASE_MS);
        if (dirty.length === 0) return count;
        for (const lead of dirty) {
          try {
            await scoreLead(lead);
            count++;
          } catch (error) {
            options.onError(error);
          }
        }
      }
    },
  };
}
