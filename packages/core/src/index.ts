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
