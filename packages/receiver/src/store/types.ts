import type { AccountTopic, AnyEvent, IntentLevel, JsonObject, Profile, TopicInterest } from '@inkling/core';

/**
 * Where the receiver keeps events, leads and the webhook outbox.
 *
 * Every method is async and atomic on its own, so the interface can be implemented on a shared database
 * (PostgreSQL: a unique key on `(site, event id)` for dedupe, `SELECT ... FOR UPDATE SKIP LOCKED` for the
 * dirty-lead and outbox claims, one transaction per method). Times are Unix milliseconds throughout.
 * Two implementations are built in: SQLite, the embedded default ({@link openSqliteStore}), and PostgreSQL for
 * several receivers sharing one database ({@link openPostgresStore}); the same contract tests judge both.
 */
export interface Store {
  /**
   * Stores a batch: skips events whose `(site, id)` was seen within the dedupe window, links each visitor to a
   * lead (see {@link Store} identity rules below) and marks those leads dirty so they are re-scored. Bot batches
   * are stored, flagged, and neither create leads nor mark any dirty.
   *
   * Identity: an `identify` event (or an event carrying `user`) is a claim. A visitor without a lead gets the
   * claimed user's lead, or a new one. An anonymous lead that claims a user joins that user's lead when it
   * exists (the anonymous history moves with it), else becomes it. A visitor whose lead is already a different
   * known user is never re-linked or merged: the conflict is noted on the lead's timeline. A lead keeps its newest
   * {@link MAX_NOTES_PER_LEAD} notes; older ones are dropped and counted in {@link Lead.notesDropped}.
   */
  insertEvents(batch: InsertBatch): Promise<InsertResult>;
  /** Stored events, newest first (by arrival), for the events page; `before` is a `seq` from the previous page. */
  listEvents(query: { site?: string; limit: number; before?: number }): Promise<StoredEvent[]>;
  /**
   * How many events are stored (of one site when given; only those flagged as sent by a bot, or only the others,
   * when `bot` is given).
   */
  countEvents(query?: { site?: string; bot?: boolean }): Promise<number>;
  /** The corrected time of each lead's newest non-bot event, by lead id; a lead without events is left out. */
  getLastSeen(leadIds: readonly string[]): Promise<Record<string, number>>;

  /**
   * Claims up to `limit` leads marked dirty, leasing them until `now + leaseMs` so that another worker (or
   * another receiver on a shared store) skips them.
   */
  claimDirtyLeads(limit: number, now: number, leaseMs: number): Promise<DirtyLead[]>;
  /**
   * The lead's non-bot events in corrected-time order (oldest first) unless `newestFirst`; `limit` keeps the
   * newest ones.
   */
  getLeadEvents(leadId: string, options?: { newestFirst?: boolean; limit?: number }): Promise<StoredEvent[]>;
  /**
   * Saves a score and enqueues `messages` in the same transaction; a changed level moves the old one to
   * `previous`. The lead stays dirty when events arrived
   * after it was claimed (its `dirtySeq` moved on), so it is scored again.
   */
  saveScore(update: ScoreUpdate): Promise<void>;
  /** Marks dirty the leads at one of `levels` last scored before `scoredBefore`, so time decay can cool them. */
  markStaleLeads(levels: readonly IntentLevel[], scoredBefore: number): Promise<number>;

  /**
   * A lead's profile snapshot: what scoring folded so far, and the seqs of its events stored since. `undefined` when
   * the lead does not exist.
   */
  getLeadProfile(leadId: string): Promise<LeadProfile | undefined>;
  /**
   * Non-bot events to fold into a lead's snapshot: those of `seqs` (its pending events), or the next page of a
   * rebuild: the lead's events after `after`, visitor by visitor (in id order) and by seq within one, leaving out
   * its pending events (they are folded from the pending list once the rebuild is done).
   */
  getProfileEvents(leadId: string, query: { seqs: readonly number[] } | { after: ProfileCursor; limit: number }): Promise<StoredEvent[]>;
  /**
   * Saves a snapshot folded part of the way (a rebuild or a long pending list in slices) without a score, and
   * releases the lead's claim: it stays dirty and is claimed again for the next slice. Applies only while the
   * snapshot is still at `generation`; true when it did.
   */
  saveProfile(update: ProfileUpdate): Promise<boolean>;
  /**
   * Marks dirty the leads whose snapshot was built with a model other than `model` (or was never built), so the
   * scoring worker rebuilds them, off the request path. Run when a receiver starts with a model.
   */
  markModelChanged(model: string): Promise<number>;

  /** Leads ordered by score (highest first), then id; `after` is the last lead of the previous page. */
  listLeads(query: LeadQuery): Promise<Lead[]>;
  /** One lead, or `undefined`. */
  getLead(id: string): Promise<Lead | undefined>;
  /**
   * Identity notes of a lead (links, conflicts), oldest first. `before` (ms) keeps the notes strictly older than it
   * and `limit` the newest ones of those: a timeline pages back with the oldest `at` of the previous page.
   */
  getLeadNotes(id: string, query?: { before?: number; limit?: number }): Promise<LeadNote[]>;

  /** Claims due pending messages (`nextAttemptAt <= now`), leased until `now + leaseMs`. */
  claimDueMessages(now: number, limit: number, leaseMs: number): Promise<OutboxMessage[]>;
  /** Records the outcome of one delivery attempt and releases the claim. */
  recordAttempt(id: string, endpoint: string, outcome: AttemptOutcome): Promise<void>;
  /** Outbox messages, oldest first, for inspection and tests. */
  listMessages(query?: { leadId?: string; status?: MessageStatus }): Promise<OutboxMessage[]>;
  /** Stops deliveries to an endpoint (it answered 410): its pending messages become `disabled`. */
  disableEndpoint(url: string, reason: string, at: number): Promise<void>;
  /** Lets an endpoint receive messages again (new ones; disabled messages stay disabled). */
  enableEndpoint(url: string): Promise<void>;
  /** URLs of disabled endpoints. */
  getDisabledEndpoints(): Promise<string[]>;

  /**
   * Deletes a visitor's events, identity link and notes; deletes their lead (with all its messages and its profile
   * snapshot) when no other visitor is linked to it, else deletes its pending messages, drops its snapshot (it is
   * rebuilt from the events left) and marks it dirty.
   */
  erase(site: string, visitor: string): Promise<EraseResult>;
  /**
   * Deletes events with a corrected time before `cutoff` and marks their leads dirty. Their snapshots lose the UTC
   * days wholly before `cutoff`; a snapshot holding events of the day `cutoff` falls in (not at midnight UTC) is
   * dropped and rebuilt from the events left, so it always equals a fold of the events kept.
   */
  deleteEventsBefore(cutoff: number): Promise<number>;
  /** Forgets dedupe keys first seen before `cutoff`. */
  deleteDedupeKeysBefore(cutoff: number): Promise<number>;
  /** Deletes delivered, failed and disabled messages last touched before `cutoff`. */
  pruneMessages(cutoff: number): Promise<number>;

  /**
   * Records what became of a lead (converted or lost), replacing an earlier outcome of the same lead. Resolves to
   * the stored outcome, or `undefined` when no lead has `leadId`.
   */
  recordOutcome(input: OutcomeInput): Promise<Outcome | undefined>;
  /** Outcomes, by lead id, of one site when given; calibration labels leads with them. */
  listOutcomes(query?: { site?: string }): Promise<Outcome[]>;
  /**
   * Leads whose known user id is `userId` (of one site when given): compared exactly, or ignoring case with
   * `ignoreCase` (e-mail addresses). More than one means the user id is known on several sites.
   */
  findLeadsByUser(userId: string, options?: { site?: string; ignoreCase?: boolean }): Promise<Lead[]>;
  /** Deletes outcomes dated before `cutoff` (retention). */
  deleteOutcomesBefore(cutoff: number): Promise<number>;

  /**
   * Claims up to `limit` accounts marked dirty (a member joined, left or was re-scored; time decay), leased until
   * `now + leaseMs` like {@link claimDirtyLeads}.
   */
  claimDirtyAccounts(limit: number, now: number, leaseMs: number): Promise<DirtyAccount[]>;
  /**
   * What an account is scored from: its members' profile snapshots, the `limit` highest-scored leads (members with
   * the lowest scores add nothing an account's caps do not already hold), and how many members it has in all.
   */
  getAccountProfiles(accountId: string, limit: number): Promise<{ members: AccountProfile[]; total: number }>;
  /** Saves an account's score and enqueues `messages` when its level changed, guarded like {@link saveScore}. */
  saveAccountScore(update: AccountScoreUpdate): Promise<void>;
  /**
   * Puts a claimed account aside without a score: it stays as it was, no longer dirty unless marked again since the
   * claim (`dirtySeq`), and its claim is released. For an account whose members' snapshots are being rebuilt: the
   * member's next save marks it again.
   */
  deferAccount(accountId: string, dirtySeq: number): Promise<void>;
  /** Marks dirty the accounts at one of `levels` last scored before `scoredBefore`, so time decay can cool them. */
  markStaleAccounts(levels: readonly IntentLevel[], scoredBefore: number): Promise<number>;
  /** Accounts ordered by score (highest first), then id; `after` is the last account of the previous page. */
  listAccounts(query: AccountQuery): Promise<Account[]>;
  /** One account, or `undefined`. */
  getAccount(id: string): Promise<Account | undefined>;
  /** An account's members, highest score first, then lead id; `after` is the last member of the previous page. */
  listAccountMembers(accountId: string, query: { limit: number; after?: { score: number; leadId: string } }): Promise<AccountMember[]>;
  /** The account a lead belongs to now, or `undefined`. */
  getLeadAccount(leadId: string): Promise<AccountMembership | undefined>;
  /**
   * Moves into or out of an account (`accountId`), or of one lead (`leadId`), newest first: `before` (a `seq` of
   * the previous page) pages back, `limit` bounds a page.
   */
  listAccountMoves(query: { accountId?: string; leadId?: string; before?: number; limit: number }): Promise<AccountMove[]>;

  /** Releases the database. */
  close(): Promise<void>;
}

/** Where a lead's account came from: a `group` call, or the e-mail domain of its `identify` traits. */
export type AccountSource = 'group' | 'domain';

/** An account: several people of one company researching together. */
export interface Account {
  id: string;
  site: string;
  /** The `group` id as given, or `domain:<lower-cased domain>`. */
  key: string;
  source: AccountSource;
  /** The latest `group` traits; `null` for a domain account or a group sent without them. */
  traits: JsonObject | null;
  score: number;
  level: IntentLevel;
  previous: IntentLevel;
  reasons: string[];
  /** What its members research, strongest first, each with the people who did; `[]` before the first score. */
  topics: AccountTopic[];
  /** Engaged people at the last score. */
  people: number;
  /** Members now. */
  members: number;
  /** Version of the account model that scored it; `null` before the first score. */
  model: string | null;
  createdAt: number;
  updatedAt: number;
  scoredAt: number | null;
}

/** Filters and paging of {@link Store.listAccounts}. */
export interface AccountQuery {
  site?: string;
  levels?: readonly IntentLevel[];
  limit: number;
  after?: { score: number; id: string };
}

/** A member of an account as the lead API lists it. */
export interface AccountMember {
  leadId: string;
  userId: string | null;
  score: number;
  level: IntentLevel;
  topics: TopicInterest[];
  source: AccountSource;
  joinedAt: number;
}

/** A lead's account now. */
export interface AccountMembership {
  accountId: string;
  key: string;
  source: AccountSource;
  joinedAt: number;
}

/** One move of a lead between accounts. */
export interface AccountMove {
  seq: number;
  leadId: string;
  /** The account left (its id), `null` when the lead had none. */
  from: string | null;
  to: string;
  source: AccountSource;
  at: number;
}

/** An account claimed for scoring. */
export interface DirtyAccount {
  id: string;
  site: string;
  key: string;
  level: IntentLevel;
  dirtySeq: number;
}

/** A member's snapshot, as account scoring reads it. */
export interface AccountProfile {
  leadId: string;
  userId: string | null;
  score: number;
  level: IntentLevel;
  profile: Profile | null;
  /**
   * False while the lead's snapshot is being rebuilt (after an erasure of one of its devices, a merge, or in slices):
   * scored and then without a complete snapshot, it would count for less than it is.
   */
  complete: boolean;
}

/** A new score for an account, with the webhooks its level change causes (see {@link ScoreUpdate}). */
export interface AccountScoreUpdate {
  accountId: string;
  dirtySeq: number;
  score: number;
  level: IntentLevel;
  reasons: string[];
  topics: AccountTopic[];
  people: number;
  model: string;
  scoredAt: number;
  /** Enqueued only when the save applies and `level` differs from `from`. */
  messages: NewMessage[];
  from: IntentLevel;
}

/** What became of a lead. */
export type OutcomeKind = 'converted' | 'lost';

/** An outcome to record. */
export interface OutcomeInput {
  leadId: string;
  outcome: OutcomeKind;
  /** When it happened, ms: calibration uses only the events before it. */
  at: number;
  /** The deal's value, in the CRM's currency. */
  value?: number;
  /** A short note from the CRM (at most {@link MAX_OUTCOME_NOTE_LENGTH} characters). */
  note?: string;
  /** Where it came from: the lead API or `inkling outcomes import`. */
  source: 'api' | 'import';
  /** When the receiver recorded it, ms. */
  recordedAt: number;
}

/** A recorded outcome. */
export interface Outcome extends Required<Omit<OutcomeInput, 'value' | 'note'>> {
  site: string;
  value: number | null;
  note: string | null;
}

/** Longest outcome note kept, in characters: a CRM's reason, not its whole record. */
export const MAX_OUTCOME_NOTE_LENGTH = 500;

/** One event as the collector hands it to the store. */
export interface EventInput {
  /** The event exactly as the browser sent it (a client-sent `intent` is kept as a claim, never scored). */
  event: AnyEvent;
  /** The event time corrected for clock skew, ms. */
  ts: number;
  /** True when the corrected time was clamped into the plausible window. */
  clamped: boolean;
}

/** A validated batch ready to store. */
export interface InsertBatch {
  site: string;
  /** The batch's `sentAt` as sent. */
  sentAt: string;
  /** When the receiver got it, ms. */
  receivedAt: number;
  /** Sent by a bot or headless browser: stored flagged, kept out of scoring. */
  bot: boolean;
  events: EventInput[];
  /**
   * E-mail domains that never make an account, beyond the shipped free-mail and disposable list (the receiver's
   * `freeMailDomains`), lower-case.
   */
  freeMailDomains?: ReadonlySet<string>;
}

/** What {@link Store.insertEvents} did. */
export interface InsertResult {
  /** Events stored now. */
  accepted: number;
  /** Events already stored (same site and id). */
  duplicates: number;
  /** Leads marked dirty. */
  leadIds: string[];
}

/** An event as stored. */
export interface StoredEvent {
  /** Arrival order: higher arrived later. The events page pages on it. */
  seq: number;
  site: string;
  id: string;
  type: string;
  visitor: string;
  /** Corrected time, ms. */
  ts: number;
  /** The device's `ts` as sent. */
  rawTs: string;
  sentAt: string;
  receivedAt: number;
  bot: boolean;
  clamped: boolean;
  /** The event exactly as sent. */
  event: AnyEvent;
}

/** A lead: one known user, or one anonymous visitor. */
export interface Lead {
  id: string;
  site: string;
  /** The known user id, once a visitor identified; `null` for an anonymous visitor. */
  userId: string | null;
  /** Visitor ids linked to this lead. */
  visitors: string[];
  score: number;
  level: IntentLevel;
  /** The level before the last change. */
  previous: IntentLevel;
  reasons: string[];
  /** What the lead has been researching, strongest first, as of its last score; `[]` before the first. */
  topics: TopicInterest[];
  /** Version of the model that scored it; `null` before the first score. */
  model: string | null;
  createdAt: number;
  updatedAt: number;
  scoredAt: number | null;
  /** Identity notes dropped because the lead had {@link MAX_NOTES_PER_LEAD} newer ones. */
  notesDropped: number;
}

/** A note on a lead's timeline that is not an event: an identity link or conflict. */
export interface LeadNote {
  at: number;
  kind: 'identified' | 'linked' | 'identity_conflict';
  text: string;
}

/** Filters and paging of {@link Store.listLeads}. */
export interface LeadQuery {
  site?: string;
  levels?: readonly IntentLevel[];
  /** Only leads with this topic among their three strongest (as routing picks them), lower-case. */
  topic?: string;
  limit: number;
  after?: { score: number; id: string };
}

/** A lead claimed for scoring. */
export interface DirtyLead {
  id: string;
  site: string;
  level: IntentLevel;
  /** Bumped by every insert; a save with an older value leaves the lead dirty. */
  dirtySeq: number;
}

/** A new score for a lead, with the webhooks its level change causes. */
export interface ScoreUpdate {
  leadId: string;
  dirtySeq: number;
  score: number;
  level: IntentLevel;
  reasons: string[];
  /** The lead's topics, strongest first. @default [] */
  topics?: TopicInterest[];
  model: string;
  scoredAt: number;
  messages: NewMessage[];
  /**
   * Webhooks about the lead's events rather than its level (a conversion): enqueued whenever the save applies,
   * whatever the level. A message whose id and endpoint are already in the outbox is skipped, so a re-score never
   * announces the same event twice.
   */
  signals?: NewMessage[];
  /**
   * The snapshot the score was computed from, saved with it. With one, the score (and its webhooks) is saved only
   * while the snapshot is still at `profile.generation`: an erasure, merge or retention sweep since then leaves the
   * lead dirty and released, to be scored again from what is left.
   */
  profile?: Omit<ProfileUpdate, 'leadId'>;
  /**
   * The level the score was computed from (the claim's): hysteresis and the webhooks' `previous` depend on it. The
   * save applies only while the lead is still at this level: the save that moved it scored either the same state or
   * newer (nothing to do), or an older one (the lead is still dirty, and is scored again from there). `messages` are
   * enqueued only when the save applies and `level` differs from `from`, so a level change is announced once.
   */
  from: IntentLevel;
}

/** Where a rebuild of a lead's snapshot has got to: the last event folded, by visitor (id order) then seq. */
export interface ProfileCursor {
  visitor: string;
  seq: number;
}

/**
 * A lead's stored profile snapshot. Scoring folds into it the events stored since (`pending`), so its cost follows
 * the new events, not the lead's history: core's `applyEvent` gives the same profile whatever order events come in.
 */
export interface LeadProfile {
  /** Core's `Profile`, as stored; `null` when none is built (a new lead, one whose visitor was erased or merged). */
  profile: Profile | null;
  /** The key of the model it was built with; another model rebuilds it. */
  model: string | null;
  /** The seq of the last event folded into it. */
  seq: number;
  /** Where a rebuild in progress has got to; `null` once every event not pending is folded in. */
  rebuild: ProfileCursor | null;
  /** Seqs of the lead's events stored and not folded yet, oldest first. */
  pending: number[];
  /** Bumped by every change made outside scoring (erasure, merge, retention); a save from another one is dropped. */
  generation: number;
}

/** A snapshot to save: `folded` pending seqs leave the pending list, the rest of the row is replaced. */
export interface ProfileUpdate {
  leadId: string;
  /** The generation the snapshot was read at. */
  generation: number;
  profile: Profile;
  model: string;
  seq: number;
  rebuild: ProfileCursor | null;
  /** The pending seqs folded into `profile`. */
  folded: readonly number[];
}

/** Delivery state of an outbox message. */
export type MessageStatus = 'pending' | 'delivered' | 'failed' | 'disabled';

/** A webhook to enqueue for one endpoint. */
export interface NewMessage {
  /** `webhook-id`: the same on every attempt and every endpoint. */
  id: string;
  endpoint: string;
  type: string;
  /** The exact body to send. */
  payload: string;
  /** The lead the message is about, or the account for an `account.*` webhook. */
  leadId: string;
  site: string;
  createdAt: number;
  nextAttemptAt: number;
}

/** A webhook in the outbox. */
export interface OutboxMessage extends NewMessage {
  status: MessageStatus;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: number | null;
}

/** The outcome of one attempt. */
export interface AttemptOutcome {
  status: MessageStatus;
  attempts: number;
  nextAttemptAt: number;
  lastStatus: number | null;
  lastError: string | null;
  at: number;
}

/** What {@link Store.erase} deleted. */
export interface EraseResult {
  events: number;
  leads: number;
  messages: number;
}
