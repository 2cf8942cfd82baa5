/**
 * The account model: how an account (several people of one company) is scored from its members. Plain JSON like a
 * lead model, with its own weights, so a site can tune them and `calibrate` can fit them later from the
 * `export-features --accounts` rows.
 */

/** Scores where an account's level changes: like a lead's {@link Levels}, with people in place of kinds of signal. */
export interface AccountLevels {
  /** Score from which a cold account becomes warm. @default 50 */
  warm: number;
  /** Score from which an account becomes hot. @default 80 */
  hot: number;
  /** A warm (or hot) account turns cold only below this score. @default 40 */
  warmExit: number;
  /** A hot account drops to warm only below this score. @default 70 */
  hotExit: number;
  /**
   * Engaged people an account needs before turning warm or hot: one person alone is that person's lead, and the
   * lead's own webhooks already speak for them. @default 2
   */
  minPeople: number;
}

/**
 * An account model. Signals are the lead features summed over members (each member's decayed by the lead model's
 * half-life), so three people reading one article each count as three reads.
 *
 * @example
 * { version: 'account-1', engagedPoints: 6, recentDays: 7, points: { engaged_people: [15, 45], pricing_views: [8, 24] }, ... }
 */
export interface AccountModel {
  /** Travels with every result as `AccountIntent.model`. */
  version: string;
  /**
   * A member is an engaged person once their own decayed signals, weighted by `points` (people rows aside, no cap),
   * reach this: one pricing view, or two qualified reads, with the defaults. @default 6
   */
  engagedPoints: number;
  /** An engaged person seen within this many days counts as recent ("this week"). @default 7 */
  recentDays: number;
  /**
   * `[points each, most points in all]` by signal: `engaged_people` (per engaged person), `recent_people` (per engaged
   * person seen within `recentDays`), and lead features summed over members (`article_reads`, `pricing_views`,
   * `conversions`, `careers_views`, ...). The cap is a size: `[-5, 25]` takes at most 25 points away.
   */
  points: Record<string, readonly [number, number]>;
  levels: AccountLevels;
  /**
   * Reason templates by signal, plus `topic_week` and `topic` (the strongest topic, in place of the people reason).
   * Placeholders: `{k}` the people behind the signal, `{n}` its count (not decayed), `{x}` "once" / "twice" /
   * "3 times" of `{n}`, followed by "between them" when `{k}` is more than one (the count is the people's total), `{t}` the topic, `{k:one|many}` and `{n:one|many}` a word for one or for many.
   */
  reasons: Record<string, string>;
}

/**
 * The account model Inkling scores with. People count the most: the signal sales cannot see lead by lead is several
 * people of one company researching at once, so two engaged people are 30 points and a third 15 more, while each
 * person's reads and views add a little on top, capped so one heavy reader cannot make an account warm alone.
 *
 * Tuned to (and tested for): two people who each read about one topic and viewed pricing once make an account warm
 * (62 with the reads a day old) while each lead stays cold (25); three such people with a demo request make it hot; one person alone, however
 * engaged, stays cold; people who only view careers pages stay cold.
 */
export const DEFAULT_ACCOUNT_MODEL: AccountModel = {
  version: 'account-1',
  engagedPoints: 6,
  recentDays: 7,
  points: {
    engaged_people: [15, 45],
    recent_people: [5, 15],
    article_reads: [3, 24],
    pricing_views: [8, 24],
    case_study_views: [5, 15],
    comparison_views: [5, 15],
    docs_views: [1, 8],
    contact_views: [10, 20],
    return_visits: [3, 12],
    conversions: [30, 30],
    careers_views: [-5, 25],
  },
  levels: { warm: 50, hot: 80, warmExit: 40, hotExit: 70, minPeople: 2 },
  reasons: {
    topic_week: '{k} {k:person|people} researched {t} this week',
    topic: '{k} {k:person|people} researched {t}',
    engaged_people: '{k} {k:person|people} researching',
    recent_people: '{k} {k:person|people} active this week',
    article_reads: '{k} {k:person|people} read {n} {n:article|articles}',
    pricing_views: '{k} {k:person|people} viewed pricing {x}',
    case_study_views: '{k} {k:person|people} viewed {n} case {n:study|studies}',
    comparison_views: '{k} {k:person|people} viewed {n} {n:comparison|comparisons}',
    docs_views: '{k} {k:person|people} read the docs ({n} {n:page|pages})',
    contact_views: '{k} {k:person|people} visited the contact page {x}',
    return_visits: '{k} {k:person|people} came back within a week',
    conversions: '{k} {k:person|people} asked for a conversation ({n} {n:request|requests})',
    careers_views: '{k} {k:person|people} looked at careers pages',
  },
};
