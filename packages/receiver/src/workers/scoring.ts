import type { IntentModel } from '../scoring.js';
import { getModelKey, scoreLeadProfile } from '../scoring.js';
import { foldLead } from '../scoring/fold-lead.js';
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

/** Work between two yields to the event loop, so requests are answered while a backlog or a rebuild is scored. */
const SLICE_MS = 10;

const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Scores dirty leads off the request path: the events stored since a lead's profile snapshot are folded into it (at
 * most a slice at a time, see `foldLead`), the score is computed from the snapshot at the current time, and a level
 * change enqueues its webhooks in the same transaction as the score and the snapshot. On its first pass it marks
 * dirty the leads whose snapshot another model built, so they are rebuilt, slice by slice, in the background.
 */
export function createScoring(options: ScoringOptions): { scoreDirty(): Promise<number> } {
  const { store, model, now } = options;
  const modelKey = getModelKey(model);
  let modelMarked = false;

  /** Scores one lead, or folds one slice of it; true when a score was saved. */
  async function scoreLead(dirty: DirtyLead): Promise<boolean> {
    const folded = await foldLead(store, dirty.id, model, modelKey);
    if (!folded) return false;
    const at = now();
    const intent = scoreLeadProfile(folded.profile, model, at, dirty.level);
    let messages: ReturnType<typeof createWebhookMessages> = [];
    if (intent.level !== dirty.level && options.endpoints.length > 0) {
      const lead = await store.getLead(dirty.id);
      const disabled = new Set(await store.getDisabledEndpoints());
      if (lead) messages = createWebhookMessages(lead, intent, dirty.level, options.endpoints.filter((url) => !disabled.has(url)), at);
    }
    await store.saveScore({
      leadId: dirty.id,
      dirtySeq: dirty.dirtySeq,
      score: intent.score,
      level: intent.level,
      reasons: intent.reasons,
      model: intent.model,
      scoredAt: at,
      messages,
      from: dirty.level,
      profile: folded.update,
    });
    return true;
  }

  return {
    async scoreDirty() {
      if (!modelMarked) {
        await store.markModelChanged(modelKey);
        modelMarked = true;
      }
      let count = 0;
      let sliceStart = performance.now();
      for (;;) {
        const dirty = await store.claimDirtyLeads(CLAIM_LIMIT, now(), LEASE_MS);
        if (dirty.length === 0) return count;
        for (const lead of dirty) {
          try {
            if (await scoreLead(lead)) count++;
          } catch (error) {
            options.onError(error);
          }
          // SQLite answers synchronously: without a real yield, a backlog would be scored in one macrotask.
          if (performance.now() - sliceStart >= SLICE_MS) {
            await yieldToEventLoop();
            sliceStart = performance.now();
          }
        }
      }
    },
  };
}
