/**
 * Wire format v1: what a browser sends to a collector.
 *
 * Sent as `POST <endpoint>` with a JSON body and `Content-Type: text/plain`, so that no CORS preflight is
 * needed (an unloading page cannot wait for one). The collector must dedupe on `Event.id` for at least
 * the client's maximum queue age (7 days) and answer 2xx even when every event was a duplicate.
 *
 * @packageDocumentation
 */

/** The version of the wire format this package speaks. Carried in every batch as `v`. */
export const WIRE_VERSION = 1;

/**
 * Limits a collector enforces and a client respects. A client batches well below them.
 */
export const LIMITS = {
  /** Bytes of one batch body (UTF-8). */
  MAX_BATCH_BYTES: 64 * 1024,
  /** Events in one batch. */
  MAX_BATCH_EVENTS: 100,
  /** Bytes of one event, serialised as JSON (UTF-8). */
  MAX_EVENT_BYTES: 8 * 1024,
  /** Characters of a path, referrer or other URL-like string. */
  MAX_URL_CHARS: 2048,
  /** Characters of a title, name or other short text. */
  MAX_TEXT_CHARS: 512,
  /** Nesting depth of custom properties. */
  MAX_PROPS_DEPTH: 5,
  /** Topics of one page, and of one intent. */
  MAX_TOPICS: 5,
  /** Characters of one topic. */
  MAX_TOPIC_CHARS: 64,
} as const;

/**
 * Characters of an account id (`group`'s `accountId`, an event's `account`). Kept out of {@link LIMITS}, which the
 * script tag bundles whole: only what uses it pays for it.
 */
export const MAX_ACCOUNT_CHARS = 128;

/** The kinds of page Inkling knows about; a site may add its own (any lowercase word with dashes). */
export type PageKind = 'article' | 'pricing' | 'docs' | 'case-study' | 'comparison' | 'contact' | 'careers' | 'other' | (string & {});

/** The page an event happened on. URLs are scrubbed before they are stored or sent. */
export interface PageInfo {
  /** Path and query string, without the fragment, scrubbed of secrets and e-mail addresses. */
  path: string;
  /** The document title, scrubbed of e-mail addresses. */
  title?: string;
  /** The referring URL, scrubbed like `path`. */
  referrer?: string;
  /** The kind of page, from the page's own markup, the site's rules, or the defaults. */
  kind: PageKind;
}

/** Any JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** An object of JSON values. */
export type JsonObject = { [key: string]: JsonValue };

/** How a page view began. */
export type Navigation = 'load' | 'spa' | 'bfcache' | 'resume';

/** Props of `page_view`. */
export interface PageViewProps {
  /** `load` for a document load, `spa` for a history change, `bfcache` for a restore, `resume` after a freeze. */
  nav: Navigation;
  /**
   * What the page is about, from its own markup or the site's path rules: at most 5, each trimmed, lower-case,
   * at most 64 characters, none holding an e-mail address, a token or an id. Left out when the page has none.
   */
  topics?: string[];
}

/** Core Web Vitals of a page, when the optional vitals module is loaded. */
export interface Vitals {
  /** Largest Contentful Paint, ms. */
  lcp?: number;
  /** Interaction to Next Paint, ms. */
  inp?: number;
  /** Cumulative Layout Shift, unitless. */
  cls?: number;
}

/** Props of `page_engagement`, sent once when a page view ends. */
export interface PageEngagementProps {
  /** The `id` of the `page_view` this engagement belongs to. */
  pageViewId: string;
  /** Time the page was visible and focused with an interaction in the last 5 s. */
  engagedMs: number;
  /** Same gate with a 30 s idle window: reading without touching the mouse. */
  attentiveMs: number;
  /** Deepest point seen, as a fraction of the document height (0 to 1). */
  scrollDepth: number;
  /** Core Web Vitals, when measured. */
  vitals?: Vitals;
}

/** Props of `article_read`, sent the moment a read qualifies. */
export interface ArticleReadProps {
  /** The `id` of the `page_view` the article was read in. */
  pageViewId: string;
  /** Words in the article (CJK characters are counted separately, at 500 a minute). */
  words: number;
  /** Expected read time: 238 words a minute plus time for images. */
  expectedMs: number;
  /** Attentive time spent on the page when the read qualified. */
  attentiveMs: number;
  /** `attentiveMs / expectedMs`, so a backend can apply its own threshold. */
  readRatio: number;
  /** Deepest point seen (0 to 1). */
  scrollDepth: number;
  /** The topics of the page view the article was read in (see `PageViewProps.topics`). */
  topics?: string[];
}

/** Where a visit came from. */
export interface Touch {
  /** `utm_source`, else the referrer's host, else `(direct)`. */
  source: string;
  /** `utm_medium`, else `referral` or `(none)`. */
  medium: string;
  /** `utm_campaign`, when given. */
  campaign?: string;
}

/** UTM parameters of the landing page. */
export interface Utm {
  source?: string;
  medium?: string;
  campaign?: string;
  term?: string;
  content?: string;
}

/**
 * Where the visitor id came from: `stored` (read back from this browser), `new` (none was stored: a first
 * visit, or storage was cleared, e.g. by Safari after 7 days), `memory` (storage unavailable or not
 * consented: the id lives for this page only).
 */
export type IdSource = 'stored' | 'new' | 'memory';

/** Props of `visit_start`. */
export interface VisitStartProps {
  /** 1 for the first visit of this visitor, 2 for the second, ... */
  visit: number;
  /** Whole days since the end of the previous visit, or `null` on a first visit. */
  daysSinceLast: number | null;
  /** Scrubbed referrer of the landing page, when there was one. */
  referrer?: string;
  /** UTM parameters of the landing page, when there were any. */
  utm?: Utm;
  /** The source of this visitor's first visit. */
  firstTouch: Touch;
  /** The source of this visit. */
  lastTouch: Touch;
  /** Where the visitor id came from. */
  idSource: IdSource;
}

/** Props of `track`: a custom event with its name and any JSON properties. */
export interface TrackProps {
  name: string;
  [key: string]: JsonValue;
}

/** Props of `identify`: a claim that this visitor is a known person. */
export interface IdentifyProps {
  userId: string;
  traits?: JsonObject;
}

/**
 * Props of `group`: a claim that this visitor researches for an account (a company), sent by `group(accountId, traits)`.
 * `accountId` follows the rule of {@link InklingEvent.account}; `traits` are scrubbed and bounded like identify traits.
 */
export interface GroupProps {
  accountId: string;
  traits?: JsonObject;
}

/** Warm-lead levels, from least to most ready for a conversation. */
export type IntentLevel = 'cold' | 'warm' | 'hot';

/** A visitor's interest in one topic, over the intent model's horizon. */
export interface TopicInterest {
  /** The topic, as pages carry it (`reconciliation`). */
  name: string;
  /** Qualified reads of articles on it (not decayed). */
  reads: number;
  /** Attentive minutes of those reads when they qualified, rounded. */
  minutes: number;
  /** Decayed interest, a whole number: 1 per page view on the topic and 8 per read, halved every `halfLifeDays`. */
  score: number;
}

/**
 * A judgement on one visitor: what the model returns, what an `intent` event carries and what an intent webhook
 * reports. One shape, so a score travels from the model to a webhook consumer unchanged.
 */
export interface Intent {
  /** 0 to 100, a whole number. */
  score: number;
  level: IntentLevel;
  /** The level this result was computed from (`cold` when none was given). */
  previous: IntentLevel;
  /** Why, most important first, at most 5: `read 3 articles (11 min)`, `viewed pricing twice`. */
  reasons: string[];
  /** The `version` of the model that made it. */
  model: string;
  /**
   * What the visitor has been researching: their topics, strongest (highest `score`) first, at most 5; empty
   * when their pages carried none. The same whatever the model's kind.
   */
  topics: TopicInterest[];
}

/** Props of `intent`: the browser's view of the visitor's level, sent when it changes. `topics` is absent from older clients. */
export type IntentProps = Omit<Intent, 'topics'> & { topics?: TopicInterest[] };

/** Props of `forget`: a request to erase this visitor. */
export type ForgetProps = Record<string, never>;

/** Every event type and its props. */
export interface EventPropsMap {
  page_view: PageViewProps;
  page_engagement: PageEngagementProps;
  article_read: ArticleReadProps;
  visit_start: VisitStartProps;
  track: TrackProps;
  identify: IdentifyProps;
  group: GroupProps;
  intent: IntentProps;
  forget: ForgetProps;
}

/** The name of an event type. */
export type EventType = keyof EventPropsMap;

/** One event. Made at the moment it happened; its `id` never changes, so retries can be deduped. */
export interface InklingEvent<T extends EventType = EventType> {
  /** UUIDv7: unique, and sortable by creation time. */
  id: string;
  type: T;
  /** When it happened, ISO-8601, by the device's clock. */
  ts: string;
  /** The anonymous visitor id. */
  visitor: string;
  /** The visit (session) id. */
  session: string;
  /** The known user id, once `identify` linked one. */
  user?: string;
  /**
   * The account (company) the visitor researches for, once `group` set one: 1–128 characters, trimmed, never an
   * e-mail address (no `@`) and no control characters. Absent after `group(null)`.
   */
  account?: string;
  page: PageInfo;
  props: EventPropsMap[T];
}

/** Any event, discriminated by `type`. */
export type AnyEvent = { [T in EventType]: InklingEvent<T> }[EventType];

/** What a client sends in one request. */
export interface Batch {
  v: typeof WIRE_VERSION;
  /** The site these events belong to. */
  site: string;
  /** When the request was sent, by the device's clock; the collector uses it to correct clock skew. */
  sentAt: string;
  events: AnyEvent[];
}
