// Byte lengths and ids first: the script tag bundles core's modules in this order, and this one compresses best.
export { getByteLength } from './bytes.js';
export { getUuidTime, uuidv7 } from './uuid.js';
export { WIRE_VERSION, LIMITS, MAX_ACCOUNT_CHARS } from './wire.js';
export type {
  AnyEvent,
  ArticleReadProps,
  Batch,
  EventPropsMap,
  EventType,
  ForgetProps,
  IdSource,
  GroupProps,
  IdentifyProps,
  InklingEvent,
  Intent,
  IntentLevel,
  IntentProps,
  JsonObject,
  JsonValue,
  Navigation,
  PageEngagementProps,
  PageInfo,
  PageKind,
  PageViewProps,
  TrackProps,
  TopicInterest,
  Touch,
  Utm,
  VisitStartProps,
  Vitals,
} from './wire.js';
export { EVENT_TYPES, getBatchSchema, validateBatch, validateEvent } from './validate.js';
export type { ValidationIssue, ValidationResult } from './validate.js';
export { DEFAULT_MODEL } from './model/default-model.js';
export { FEATURE_NAMES } from './model/feature-names.js';
export { getFeatures, getTopicColumns, getTopicFeatures, MAX_TOPIC_COLUMNS, MIN_TOPIC_LEADS } from './model/features.js';
export { ModelError, parseModel } from './model/parse-model.js';
export { HORIZON_DAYS } from './model/horizon.js';
export { applyEvent, createProfile } from './model/profile.js';
export { explainProfile, getDiminished, getRawScore, scoreProfile } from './model/score.js';
export type { ReasonWeight } from './model/score.js';
export type { FeatureName, Levels, LogisticModel, Model, ModelBase, PointsModel, Profile } from './model/types.js';
export { parseRetryAfter } from './retry-after.js';
export { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS } from './time.js';
export type { AccountWebhookPayload, AccountWebhookType, IntentWebhookLead, IntentWebhookPayload, IntentWebhookType } from './webhook.js';
export { getTopics } from './model/topics.js';
export { getAccountFeatures, renderAccountReason, scoreAccount } from './model/account.js';
export type { AccountIntent, AccountMember, AccountTopic } from './model/account.js';
export { DEFAULT_ACCOUNT_MODEL } from './model/account-model.js';
export type { AccountLevels, AccountModel } from './model/account-model.js';
