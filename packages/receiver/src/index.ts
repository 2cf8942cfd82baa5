/**
 * `@inkling/receiver`: collect Inkling events, score warm leads on the server, and send signed intent webhooks.
 * Importing it does nothing; better-sqlite3, `pg`, `ioredis` and `node:http` are loaded only when used.
 *
 * @packageDocumentation
 */
export { createReceiver, DEDUPE_WINDOW_MS, RESCORE_AFTER_MS } from './receiver.js';
export type { FetchContext, Receiver } from './receiver.js';
export type { ReceiverLimits, ReceiverOptions, ReceiverRoutes } from './options.js';

export { createNodeHandler, listen } from './node.js';
export type { Listening, ListenOptions, NodeHandler } from './node.js';
export { createExpressHandler } from './express.js';
export type { ExpressHandler } from './express.js';

export { InklingError, OptionsError, RequestError, WebhookVerificationError } from './errors.js';
export type { WebhookVerificationCode } from './errors.js';
export type { CollectResult } from './collect/collect.js';
export type { RejectedEvent } from './collect/validate.js';
export type { ErrorBody } from './http/responses.js';
export type { LeadPage } from './pages/leads-api.js';
export type { TimelineItem } from './pages/timeline.js';

export { openPostgresStore, openSqliteStore } from './store/open.js';
export type { PostgresStoreOptions, SqliteStoreOptions } from './store/open.js';
export type {
  AttemptOutcome,
  DirtyLead,
  EraseResult,
  EventInput,
  InsertBatch,
  InsertResult,
  Lead,
  LeadNote,
  LeadProfile,
  LeadQuery,
  MessageStatus,
  NewMessage,
  OutboxMessage,
  ProfileCursor,
  ProfileUpdate,
  ScoreUpdate,
  Store,
  StoredEvent,
} from './store/types.js';

export { createMemoryRateLimiter } from './rate-limit.js';
export type { BucketOptions, MemoryRateLimiterOptions, RateLimitBucket, RateLimiter, RateLimitResult } from './rate-limit.js';
export { createRedisRateLimiter } from './redis-rate-limit.js';
export type { RedisRateLimiter, RedisRateLimiterOptions } from './redis-rate-limit.js';
export { isBotUserAgent } from './collect/bots.js';
export { correctTime, MAX_EVENT_AGE_MS } from './collect/skew.js';
export type { CorrectedTime } from './collect/skew.js';

export { signWebhook, timingSafeEqual, TOLERANCE_S, verifyWebhook } from './verify.js';
export type { VerifiedWebhook, VerifyWebhookOptions, WebhookHeaders } from './verify.js';
export { isPrivateAddress } from './webhooks/ssrf.js';
export { MAX_RETRY_AFTER_MS, RETRY_SCHEDULE_MS } from './webhooks/schedule.js';
export type { IntentWebhookPayload, IntentWebhookType } from './webhooks/payload.js';
export type { WebhookRequest, WebhookResponse, WebhookSender } from './webhooks/sender.js';
export type { WebhookEndpoint } from './workers/delivery.js';
export type { Intent, IntentModel } from './scoring.js';
