import type { IntentModel } from './score-events.js';
import { createAccountScorer } from './account-scoring.js';
import { foldLead } from './fold-lead.js';
import { getModelKey } from './score-events.js';
import { scoreProfile } from '@inkling/core';
import type { AccountModel } from '@inkling/core';
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
  /** How accounts are scored from their members. @default DEFAULT_ACCOUNT_MODEL */
  accountModel?: AccountModel;
}

/** Leads claimed per round. */
const CLAIM_LIMIT = 50;

/** A claim that outlives a crashed worker: after this, another worker scores the lead. */
const LEASE_MS = 60_000;

/** Work between two yields to the event loop, so requests are answered while a backlog or a rebuild is scored. */
const SLICE_MS = 10;

/**
 * The newest events read to decide which conversions are news: enough to see an earlier one of the same name within
 * the debounce window, bounded so a long history costs nothing here.
 */
const RECENT_EVENTS = 200;

const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Scores dirty leads off the request path: the events stored since a lead's profile snapshot are folded into it (at
 * most a slice at a time, see `foldLead`), the score is computed from the snapshot at the current time, and a level
 * change, and each new conversion (`lead.converted`), enqueue their webhooks in the same transaction as the score and
 * the snapshot. On its first pass it marks dirty the leads whose snapshot another model built, so they are rebuilt,
 * slice by slice, in the background. Then it scores the dirty accounts from their members' snapshots (see
 * `account-scoring.ts`): a member's new score marks its account dirty, so an account follows its people.
 */
export function createScoring(options: ScoringOptions): { scoreDirty(): Promise<number> } {
  const { store, model, now } = options;
  const modelKey = getModelKey(model);
  let modelMarked = false;
  const slack = new Map((options.slack ?? []).map((d) => [d.url, d]));
  const allEndpoints: readonly RoutedEndpoint[] = [...options.endpoints, ...slack.values()];
  const scoreAccount = createAccountScorer({
    store,
    model,
    now,
    endpoints: options.endpoints,
    ...(options.accountModel ? { accountModel: options.accountModel } : {}),
  });

  /** Gives each Slack destination its Block Kit body; drops what Slack does not get (a cooled lead). */
  const forSlack = (messages: NewMessage[]): NewMessage[] =>
    messages.flatMap((message) => {
      const destination = slack.get(message.endpoint);
      if (!destination) return [message];
      const body = toSlackMessage(JSON.parse(message.payload) as IntentWebhookPayload | ConversionWebhookPayload, destination.dashboardUrl);
      return body ? [{ ...message, payload: JSON.stringify(body) }] : [];
    });

  /** Scores one lead, or folds one slice of it; true when a score was saved. */
  async function scoreLead(dirty: DirtyLead): Promise<boolean> {
    const folded = await foldLead(store, dirty.id, model, modelKey);
    if (!folded) return false;
    const at = now();
    const intent = scoreProfile(folded.profile, model, at, dirty.level);
    let messages: NewMessage[] = [];
    let signals: NewMessage[] = [];
    // A conversion among the new events: whether it is news depends on the lead's recent ones (the debounce).
    const converted = folded.events.some((e) => !e.bot && e.event.type === 'track' && Object.hasOwn(model.conversions, e.event.props.name));
    const conversions =
      allEndpoints.length > 0 && converted
        ? getNewConversions(await store.getLeadEvents(dirty.id, { limit: RECENT_EVENTS }), model.conversions, at)
        : [];
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
    await store.saveScore({
      leadId: dirty.id,
      dirtySeq: dirty.dirtySeq,
      score: intent.score,
      level: intent.level,
      reasons: intent.reasons,
      topics: intent.topics,
      model: intent.model,
      scoredAt: at,
      messages,
      signals,
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
      const pace = async () => {
        // SQLite answers synchronously: without a real yield, a backlog would be scored in one macrotask.
        if (performance.now() - sliceStart >= SLICE_MS) {
          await yieldToEventLoop();
          sliceStart = performance.now();
        }
      };
      for (;;) {
        const dirty = await store.claimDirtyLeads(CLAIM_LIMIT, now(), LEASE_MS);
        if (dirty.length === 0) break;
        for (const lead of dirty) {
          try {
            if (await scoreLead(lead)) count++;
          } catch (error) {
            options.onError(error);
          }
          await pace();
        }
      }
      // Accounts after their members: a round's member scores each mark their account once more, scored here once.
      for (;;) {
        const dirty = await store.claimDirtyAccounts(CLAIM_LIMIT, now(), LEASE_MS);
        if (dirty.length === 0) return count;
        for (const account of dirty) {
          try {
            await scoreAccount(account);
          } catch (error) {
            options.onError(error);
          }
          await pace();
        }
      }
    },
  };
}
