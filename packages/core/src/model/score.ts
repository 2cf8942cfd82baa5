import type { IntentLevel } from '../wire.js';
import { getFeature, summarise } from './summary.js';
import type { FeatureName, Intent, Levels, Model, Profile } from './types.js';

const MAX_REASONS = 5;

/** Fills a reason template (see `ModelBase.reasons`). */
export function renderReason(template: string, n: number, minutes: number, week: number): string {
  return template.replace(/\{([^}]*)\}/g, (_, key: string) =>
    key == 'n'
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
              week + ((week % 100) - 11 >>> 0 < 3 ? 'th' : (['th', 'st', 'nd', 'rd'][week % 10] ?? 'th'))
            : (key.split('|')[n == 1 ? 0 : 1] ?? ''),
  );
}

/**
 * The level for `score`, given the level before: up at `warm` / `hot` (with at least `minKinds` kinds of
 * signal), down only below `warmExit` / `hotExit`, so a score wobbling around a threshold keeps its level.
 */
export function getLevel(score: number, levels: Levels, kinds: number, previous: IntentLevel): IntentLevel {
  const enough = kinds >= levels.minKinds;
  const level = enough && score >= levels.hot ? 'hot' : enough && score >= levels.warm ? 'warm' : 'cold';
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

type Terms = [raw: number, contributions: Record<string, number>, totals: Record<string, number>, week: number];

function getTerms(profile: Profile, model: Model, nowMs: number): Terms {
  const [decayed, totals, points, week] = summarise(profile, model, nowMs);
  const logistic = model.kind == 'logistic';
  // What each signal adds to the score: its diminished points, or its logistic term.
  const contributions: Record<string, number> = {};
  let raw = logistic ? model.intercept : 0;
  for (const k in logistic ? model.weights : points) {
    raw += contributions[k] = logistic
      ? model.weights[k as FeatureName]! * Math.log1p(getFeature(decayed, k))
      : getDiminished(points[k]!, model.points[k]![1]);
  }
  return [raw, contributions, totals, week];
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

/**
 * Scores a visitor at `nowMs`: a whole-number score from 0 to 100, its level (with hysteresis from
 * `previous`), and the reasons behind it, most important first. Deterministic: the same profile, model and
 * `nowMs` give the same result in the browser and on the server.
 *
 * @param previous The visitor's level before, so a score near a threshold does not flap. @default 'cold'
 * @example
 * const intent = scoreProfile(profile, DEFAULT_MODEL, Date.now(), lastIntent?.level);
 * // { score: 67, level: 'warm', previous: 'cold', model: 'default-2',
 * //   reasons: ['viewed pricing twice', 'read 3 articles (11 min)', '2nd visit this week', 'viewed 5 pages'] }
 */
export function scoreProfile(profile: Profile, model: Model, nowMs: number, previous: IntentLevel = 'cold'): Intent {
  const [raw, contributions, totals, week] = getTerms(profile, model, nowMs);
  const score = Math.round(model.kind == 'logistic' ? 100 / (1 + Math.exp(-raw)) : Math.min(100, Math.max(0, raw)));

  const reasons: [number, string][] = [];
  let kinds = 0;
  for (const k in contributions) {
    const c = contributions[k]!;
    const n = totals[k];
    if (!c || !n) continue;
    // A conversion is a hand-raise: enough kinds of signal on its own.
    if (c >= MIN_KIND_POINTS && k != 'page_views') kinds += k == 'conversions' ? Infinity : 1;
    const texts: [string | undefined, number][] =
      k == 'conversions'
        ? Object.keys(model.conversions).map((name) => [model.conversions[name], totals['c:' + name] ?? 0])
        : [[(k == 'return_visits' && week > 1 && model.reasons['visits_this_week']) || model.reasons[k], n]];
    const minutes = Math.round((totals[k.replace(/_[a-z]+$/, '_minutes')] ?? 0) / 60);
    // A minutes signal is counted in minutes: "spent 12 min", never "0 min" for a few seconds.
    if (k.endsWith('_minutes')) texts[0]![1] = minutes;
    for (const [template, count] of texts) if (template && count) reasons.push([c, renderReason(template, count, minutes, week)]);
  }
  // A stable sort: ties keep the model's order, the same everywhere.
  reasons.sort((a, b) => Math.abs(b[0]) - Math.abs(a[0]));
  return {
    score,
    level: getLevel(score, model.levels, kinds, previous),
    previous,
    reasons: reasons.slice(0, MAX_REASONS).map((r) => r[1]),
    model: model.version,
  };
}
