import type { IntentModel } from './score-events.js';
import { scoreEvents } from './score-events.js';
import type { DirtyLead, NewMessage, Store } from '../store/types.js';
import { createConversionMessages, createWebhookMessages, getNewConversions } from '../webhooks/payload.js';
import type { ConversionWebhookPayload, IntentWebhookPayload } from '../webhooks/payload.js';
import { getRoutedUrls } from '../webhooks/routing.js';
import type { RoutedEndpoint } from '../webhooks/routing.js';
import { toSlackMessage } from '../webhooks/slack.js';
import type { SlackDestination } from '../webhooks/slack.js';

export interface ScoringOptions {
  store: Store;
  model: IntentModel;
  now: () => number;
  /** Webhook endpoints a level change is sent to; one with topics gets only the leads researching them. */
  endpoints: readonly RoutedEndpoint[];
  /** Slack destinations: the same messages, as Block Kit (see webhooks/slack.ts). */
  slack?: readonly SlackDestination[];
  /** A lead that fails to score is reported here and retried when its claim expires. */
  onError: (error: unknown) => void;
}

/** Leads claimed per round. */
const CLAIM_LIMIT = 50;

/** A claim that outlives a crashed worker: after this, another worker scores the lead. */
const LEASE_MS = 60_000;

/**
 * Scores dirty leads off the request path: each lead is re-folded from all its stored non-bot events; a level
 * change, and each new conversion (`lead.converted`), enqueue their webhooks in the same transaction as the score.
 */
export function createScoring(options: ScoringOptions): { scoreDirty(): Promise<number> } {
  const { store, model, now } = options;
  const slack = new Map((options.slack ?? []).map((d) => [d.url, d]));
  const allEndpoints: readonly RoutedEndpoint[] = [...options.endpoints, ...slack.values()];

  /** Gives each Slack destination its Block Kit body; drops what Slack does not get (a cooled lead). */
  const forSlack = (messages: NewMessage[]): NewMessage[] =>
    messages.flatMap((message) => {
      const destination = slack.get(message.endpoint);
      if (!destination) return [message];
      const body = toSlackMessage(JSON.parse(message.payload) as IntentWebhookPayload | ConversionWebhookPayload, destination.dashboardUrl);
      return body ? [{ ...message, payload: JSON.stringify(body) }] : [];
    });

  async function scoreLead(dirty: DirtyLead): Promise<void> {
    const at = now();
    const events = await store.getLeadEvents(dirty.id);
    const intent = scoreEvents(events, model, at, dirty.level);
    let messages: NewMessage[] = [];
    let signals: NewMessage[] = [];
    const conversions = allEndpoints.length > 0 ? getNewConversions(events, model.conversions, at) : [];
    if ((intent.level !== dirty.level || conversions.length > 0) && allEndpoints.length > 0) {
      const lead = await store.getLead(dirty.id);
      const disabled = new Set(await store.getDisabledEndpoints());
      // Each team gets the leads researching its topics; one lead may go to several teams.
      const endpoints = getRoutedUrls(allEndpoints, intent.topics).filter((url) => !disabled.has(url));
      if (lead) {
        messages = forSlack(createWebhookMessages(lead, intent, dirty.level, endpoints, at));
        signals = forSlack(conversions.flatMap((event) => createConversionMessages(lead, intent, event, model.conversions, endpoints, at)));
      }
    }
    await store.saveScore({ leadId: dirty.id, dirtySeq: dirty.dirtySeq, score: intent.score, level: intent.level, reasons: intent.reasons, topics: intent.topics, model: intent.model, scoredAt: at, messages, signals, from: dirty.level });
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
