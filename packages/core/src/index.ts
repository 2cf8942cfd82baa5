export { WIRE_VERSION, LIMITS } from './wire.js';
export type {
  AnyEvent,
  ArticleReadProps,
  Batch,
  EventPropsMap,
  EventType,
  ForgetProps,
  IdSource,
  IdentifyProps,
  InklingEvent,
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
  Touch,
  Utm,
  VisitStartProps,
  Vitals,
} from './wire.js';
export { EVENT_TYPES, getBatchSchema, validateBatch, validateEvent } from './validate.js';
export type { ValidationIssue, ValidationResult } from './validate.js';
export { getUuidTime, uuidv7 } from './uuid.js';
export { DEFAULT_MODEL } from './model/default-model.js';
export { FEATURE_NAMES } from './model/feature-names.js';
export { getFeatures } from './model/features.js';
export { ModelError, parseModel } from './model/parse-model.js';
export { applyEvent, createProfile, HORIZON_DAYS } from './model/profile.js';
export { getDiminished, getRawScore, scoreProfile } from './model/score.js';
export type { FeatureName, Intent, Levels, LogisticModel, Model, ModelBase, PointsModel, Profile } from './model/types.js';
