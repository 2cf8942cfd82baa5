/**
 * `@inkling/receiver/internals`: the building blocks the receiver is made of, for tools and for stores of your own.
 * Not needed to run a receiver, and less stable than the main entry: these follow the implementation.
 *
 * @packageDocumentation
 */
export { DEDUPE_WINDOW_MS, RESCORE_AFTER_MS } from './receiver.js';
export { isBotUserAgent } from './collect/bots.js';
export { correctTime, MAX_EVENT_AGE_MS } from './collect/skew.js';
export type { CorrectedTime } from './collect/skew.js';
export { timingSafeEqual } from './webhooks/verify.js';
export { isPrivateAddress } from './webhooks/ssrf.js';
export { MAX_RETRY_AFTER_MS, RETRY_SCHEDULE_MS } from './webhooks/schedule.js';
export { MAX_MOVES_PER_LEAD } from './store/accounts.js';
export { ACCOUNT_SCORED_MEMBERS } from './scoring/account-scoring.js';
export { FREE_MAIL_DOMAINS, isFreeMailDomain } from './accounts/free-mail.js';
export type {
  AccountProfile,
  AccountQuery,
  AccountScoreUpdate,
  AttemptOutcome,
  DirtyAccount,
  DirtyLead,
  EventInput,
  InsertBatch,
  InsertResult,
  LeadProfile,
  LeadQuery,
  MessageStatus,
  NewMessage,
  OutboxMessage,
  ProfileCursor,
  ProfileUpdate,
  ScoreUpdate,
  StoredEvent,
} from './store/types.js';
