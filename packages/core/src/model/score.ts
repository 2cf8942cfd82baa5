import type { IntentLevel, TopicInterest } from '../wire.js';
import { LIMITS } from '../wire.js';
import { isLogistic } from './logistic.js';
import { getFeature, summarise } from './summary.js';
import { rankTopics } from './topics.js';
import type { FeatureName, Intent, Levels, Model, Profile } from './types.js';

const MAX_REASONS = 5;

/** Fills a reason template (see `ModelBase.reasons`). */
export function renderReason(template: string, n: number, minutes: number, week: number, topic = ''): string {
  return template.replace(/\{([^}]*)\}/g, (_, key: string) =>
    key == 't'
      ? topic
      : key == 'n'
        ? String(n)
        : key == 'm'
          ? String(minutes)
          : key == 'x'
            ? n > 2
              ? n + ' times'
              : n > 1
                ? 'twice'
                : 'once'
            : key == 'w'
              ? // 1st, 2nd, 3rd, 4th, ... 11th, 12th, 13th, ... 21st
                week + (((week % 100) - 11) >>> 0 < 3 ? 'th' : (['th', 'st', 'nd', 'rd'][week % 10] ?? 'th'))
              : (key.split('|')[n == 1 ? 0 : 1] ?? ''),
  );
}

/**
 * The level for `score`, given the level before: up at `warm` / `hot` (with at least `minKinds` kinds of
 * signal), down only below `warmExit` / `hotExit`, so a score wobbling around a threshold keeps its level.
 */
export function getLevel(score: number, levels: Levels, kinds: number, previous: IntentLevel): IntentLevel {
  const level = kinds < levels.minKinds ? 'cold' : score >= levels.hot ? 'hot' : score >= levels.warm ? 'warm' : 'cold';
  if (previous == 'hot' && score >= levels.hotExit) return 'hot';
  return previous != 'cold' && level == 'cold' && score >= levels.warmExit ? 'warm' : level;
}

// A signal counts as a kind of interest once it earns this many points: a docs page for a month, a minute of
// attentive reading, a second visit. Below it, a few seconds on a page would turn a one-signal visitor into a
// two-kinds one. Page views are volume, never a kind: so on a site whose pages carry no kinds, minutes and
// coming back are the two kinds a visitor can show.
const MIN_KIND_POINTS = 2;

/**
 * What a signal's decayed points count for: in full up to one day's cap, then with diminishing returns,
 * `cap × (1 + ln(points / cap))`, so each doubling adds ln 2 (0.69) of a day's worth. A regular over months
 * keeps gaining, and keeps outranking a one-day visitor, without one signal drowning the others. Penalties
 * (negative points) count in full.
 *
 * @example
 * getDiminished(60, 30); // 50.8: two full days of pricing views
 */
export function getDiminished(points: number, cap: number): number {
  return points > cap && cap > 0 ? cap * (1 + Math.log(points / cap)) : points;
}

type Terms = [raw: number, contributions: Record<string, number>, totals: Record<string, number>, week: number, topics: TopicInterest[]];

function getTerms(profile: Profile, model: Model, nowMs: number): Terms {
  const summary = summarise(profile, model, nowMs);
  const [decayed, totals, points, week] = summary;
  const logistic = isLogistic(model);
  // What each signal adds to the score: its diminished points, or its logistic term.
  const contributions: Record<string, number> = {};
  let raw = logistic ? model.intercept : 0;
  for (const k in logistic ? model.weights : points) {
    raw += contributions[k] = logistic
      ? model.weights[k as FeatureName]! * Math.log1p(getFeature(decayed, k))
      : getDiminished(points[k]!, model.points[k]![1]);
  }
  return [raw, contributions, totals, week, rankTopics(summary)];
}

/**
 * The score before it is rounded and held to 0-100: a points model's total (above 100 for the most engaged
 * visitors), a logistic model's log-odds. It keeps ordering visitors whose displayed scores are all 100, so
 * rank with it (an ROC curve, a top-N list) and show `scoreProfile`'s score.
 *
 * @example
 * leads.sort((a, b) => getRawScore(b.profile, model, now) - getRawScore(a.profile, model, now));
 */
export function getRawScore(profile: Profile, model: Model, nowMs: number): number {
  return getTerms(profile, model, nowMs)[0];
}

/** One reason behind a score and what its signal adds to it (see {@link explainProfile}). */
export interface ReasonWeight {
  /** The reason, as `Intent.reasons` gives it: `viewed pricing twice`. */
  reason: string;
  /**
   * What the signal adds to the score: its diminished points (a points model), or its term of the logistic sum
   * (a logistic model), negative for a signal that lowers the score.
   */
  weight: number;
}

/**
 * Scores a visitor at `nowMs` and says why: the whole-number score, how many kinds of positive signal it rests
 * on (a conversion counts as enough on its own), every reason with the weight the model gave its signal,
 * heaviest first, and the visitor's topics, strongest first. {@link scoreProfile} is this plus the level; a
 * dashboard draws its bars from it, so the bars are the model's own numbers.
 *
 * @example
 * explainProfile(profile, DEFAULT_MODEL, Date.now()).reasons
 * // [{ reason: 'read 3 articles (11 min)', weight: 24 }, { reason: 'viewed pricing twice', weight: 30 }, ...]
 */
export function explainProfile(
  profile: Profile,
  model: Model,
  nowMs: number,
): { score: number; kinds: number; reasons: ReasonWeight[]; topics: TopicInterest[] } {
  const [raw, contributions, totals, week, topics] = getTerms(profile, model, nowMs);
  const score = Math.round(isLogistic(model) ? 100 / (1 + Math.exp(-raw)) : Math.min(100, Math.max(0, raw)));
  const read = topics.find((t) => t.reads);
  const topicReason = read && model.reasons['topic_reads'];

  const reasons: ReasonWeight[] = [];
  let kinds = 0;
  for (const k in contributions) {
    const c = contributions[k]!;
    const n = totals[k];
    if (!c || !n) continue;
    // A conversion is a hand-raise: enough kinds of signal on its own.
    if (c >= MIN_KIND_POINTS && k != 'page_views') kinds += k == 'conversions' ? Infinity : 1;
    const minutes = Math.round(getFeature(totals, k.replace(/_[a-z]+$/, '_minutes')));
    // A minutes signal is counted in minutes: "spent 12 min", never "0 min" for a few seconds.
    const texts: [string | undefined, number, number, string?][] =
      k == 'conversions'
        ? Object.entries(model.conversions).map(([name, text]) => [text, totals['c:' + name] ?? 0, 0])
        : [
            [
              (k == 'return_visits' && week > 1 && model.reasons['visits_this_week']) || model.reasons[k],
              k.endsWith('_minutes') ? minutes : n,
              minutes,
            ],
          ];
    // The strongest topic read: in place of the reads' reason when every read was on it, else right after it.
    if (k == 'article_reads' && topicReason) texts[read.reads < n ? 1 : 0] = [topicReason, read.reads, read.minutes, read.name];
    for (const [template, count, m, topic] of texts)
      if (template && count) reasons.push({ reason: renderReason(template, count, m, week, topic), weight: c });
  }
  // A stable sort: ties keep the model's order, the same everywhere.
  reasons.sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight));
  return { score, kinds, reasons, topics: topics.slice(0, LIMITS.MAX_TOPICS) };
}

/**
 * Scores a visitor at `nowMs`: a whole-number score from 0 to 100, its level (with hysteresis from
 * `previous`), the reasons behind it, most important first, and the topics they researched, strongest first.
 * Deterministic: the same profile, model and `nowMs` give the same result in the browser and on the server.
 *
 * @param previous The visitor's level before, so a score near a threshold does not flap. @default 'cold'
 * @example
 * const intent = scoreProfile(profile, DEFAULT_MODEL, Date.now(), lastIntent?.level);
 * // { score: 67, level: 'warm', previous: 'cold', model: 'default-2', topics: [{ name: 'reconciliation', ... }],
 * //   reasons: ['viewed pricing twice', 'read 3 articles on reconciliation (11 min)', '2nd visit this week'] }
 */
export function scoreProfile(profile: Profile, model: Model, nowMs: number, previous: IntentLevel = 'cold'): Intent {
  const { score, kinds, reasons, topics } = explainProfile(profile, model, nowMs);
  return {
    score,
    level: getLevel(score, model.levels, kinds, previous),
    previous,
    reasons: reasons.slice(0, MAX_REASONS).map((r) => r.reason),
    model: model.version,
    topics,
  };
}
