/**
 * `@inkling/receiver`: collect Inkling events, score warm leads on the server, and send signed intent webhooks.
 * Importing it does nothing; better-sqlite3, `pg`, `ioredis` and `node:http` are loaded only when used.
 *
 * This entry is what running a receiver needs. The building blocks it is made of (the clock-skew correction, the
 * bot and private-address checks, the store's row types for a store of your own) are in
 * `@inkling/receiver/internals`, and the webhook verifier alone in `@inkling/receiver/verify`.
 *
 * @packageDocumentation
 */
export { createReceiver } from './receiver.js';
export type { FetchContext, Receiver } from './receiver.js';
export type { ReceiverLimits, ReceiverOptions, ReceiverRoutes } from './options.js';

export { createNodeHandler, listen } from './adapters/node.js';
export type { Listening, ListenOptions, NodeHandler } from './adapters/node.js';
export { createExpressHandler } from './adapters/express.js';
export type { ExpressHandler } from './adapters/express.js';

export { InklingError, OptionsError, RequestError, WebhookVerificationError } from './errors.js';
export type { WebhookVerificationCode } from './errors.js';
export type { CollectResult } from './collect/collect.js';
export type { RejectedEvent } from './collect/validate.js';
export type { ErrorBody } from './http/responses.js';
export type { LeadDetail, LeadPage } from './pages/leads-api.js';
export type { AccountDetail, AccountPage, AccountTimelineItem } from './pages/accounts-api.js';
export type { TimelineItem } from './pages/timeline.js';

export { openPostgresStore, openSqliteStore } from './store/open.js';
export type { PostgresStoreOptions, SqliteStoreOptions } from './store/open.js';
export type {
  Account,
  AccountMember,
  AccountMembership,
  AccountMove,
  AccountSource,
  EraseResult,
  Lead,
  LeadNote,
  Outcome,
  OutcomeInput,
  OutcomeKind,
  Store,
} from './store/types.js';

export { createMemoryRateLimiter } from './rate-limit/memory-rate-limit.js';
export type {
  BucketOptions,
  MemoryRateLimiterOptions,
  RateLimitBucket,
  RateLimiter,
  RateLimitResult,
} from './rate-limit/memory-rate-limit.js';
export { createRedisRateLimiter } from './rate-limit/redis-rate-limit.js';
export type { RedisRateLimiter, RedisRateLimiterOptions } from './rate-limit/redis-rate-limit.js';

export { signWebhook, TOLERANCE_S, verifyWebhook } from './webhooks/verify.js';
export type { VerifiedWebhook, VerifyWebhookOptions, WebhookHeaders } from './webhooks/verify.js';
export type { SlackDestination, SlackMessage } from './webhooks/slack.js';
export type { AccountWebhookPayload, AccountWebhookType, ConversionWebhookPayload, WebhookType } from './webhooks/payload.js';
export type { WebhookRequest, WebhookResponse, WebhookSender } from './webhooks/sender.js';
export type { WebhookEndpoint } from './webhooks/delivery.js';
export { ROUTING_TOP_TOPICS } from './webhooks/routing.js';
export type { AccountIntent, AccountTopic, Intent, IntentWebhookPayload, IntentWebhookType, Model as IntentModel } from '@inkling/core';
