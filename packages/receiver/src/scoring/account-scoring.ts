import { DEFAULT_ACCOUNT_MODEL, scoreAccount } from '@inkling/core';
import type { AccountModel } from '@inkling/core';
import type { DirtyAccount, NewMessage, Store } from '../store/types.js';
import { createAccountWebhookMessages } from '../webhooks/payload.js';
import { getRoutedUrls } from '../webhooks/routing.js';
import type { RoutedEndpoint } from '../webhooks/routing.js';
import type { IntentModel } from './score-events.js';

/**
 * Members an account is scored from: its highest-scored leads. Past them, members add nothing the account model's
 * caps do not already hold (with the defaults, three engaged people fill the people rows), so an account that 10,000
 * visitors claim costs what one of 1,000 does.
 */
export const ACCOUNT_SCORED_MEMBERS = 1000;

export interface AccountScoringOptions {
  store: Store;
  /** The lead model: it built the members' snapshots and decides their decay. */
  model: IntentModel;
  accountModel?: AccountModel;
  now: () => number;
  /** Signed webhook endpoints; one with topics gets only the accounts researching them. Slack gets lead messages only. */
  endpoints: readonly RoutedEndpoint[];
}

/**
 * Scores one claimed account from its members' snapshots and saves the score, with an `account.warm` / `account.hot` /
 * `account.cooled` webhook per endpoint when its level changed (enqueued once, in the same guarded save). False when
 * the account is gone (its last member was erased) or waits for a member's snapshot to be rebuilt.
 */
export function createAccountScorer(options: AccountScoringOptions): (dirty: DirtyAccount) => Promise<boolean> {
  const { store, model, now } = options;
  const accountModel = options.accountModel ?? DEFAULT_ACCOUNT_MODEL;
  return async (dirty) => {
    const { members } = await store.getAccountProfiles(dirty.id, ACCOUNT_SCORED_MEMBERS);
    // A member mid-rebuild would count for less than it is, and could cool the account for a moment: the account
    // waits for that member's next save, which marks it again.
    if (members.some((m) => !m.complete)) {
      await store.deferAccount(dirty.id, dirty.dirtySeq);
      return false;
    }
    const at = now();
    const intent = scoreAccount(
      members.map((m) => ({ id: m.leadId, profile: m.profile })),
      model,
      at,
      dirty.level,
      accountModel,
    );
    let messages: NewMessage[] = [];
    if (intent.level !== dirty.level && options.endpoints.length > 0) {
      const account = await store.getAccount(dirty.id);
      if (!account) return false;
      const disabled = new Set(await store.getDisabledEndpoints());
      const endpoints = getRoutedUrls(options.endpoints, intent.topics).filter((url) => !disabled.has(url));
      messages = createAccountWebhookMessages(account, intent, dirty.level, members, endpoints, at);
    }
    await store.saveAccountScore({
      accountId: dirty.id,
      dirtySeq: dirty.dirtySeq,
      score: intent.score,
      level: intent.level,
      reasons: intent.reasons,
      topics: intent.topics,
      people: intent.people,
      model: intent.model,
      scoredAt: at,
      messages,
      from: dirty.level,
    });
    return true;
  };
}
