import { LIMITS } from '../wire.js';
import type { TopicInterest } from '../wire.js';
import { summarise } from './summary.js';
import type { Summary } from './summary.js';
import type { Model, Profile } from './types.js';

/**
 * Every topic of a summary, strongest first: by score, ties by name, the same everywhere. A topic's
 * score is its decayed interest: 1 per page view on it and 8 per qualified read (the default model's points for
 * each), halved every `halfLifeDays` like every signal.
 */
export function rankTopics([decayed, totals]: Summary): TopicInterest[] {
  return [
    ...new Set(
      Object.keys(totals)
        .filter((k) => /^t[vr]:/.test(k))
        .map((k) => k.slice(3)),
    ),
  ]
    .sort()
    .map((name) => ({
      name,
      reads: totals['tr:' + name] ?? 0,
      minutes: Math.round((totals['tq:' + name] ?? 0) / 60),
      score: Math.round((decayed['tv:' + name] ?? 0) + 8 * (decayed['tr:' + name] ?? 0)),
    }))
    .sort((a, b) => b.score - a.score);
}

/**
 * What a visitor has been researching at `nowMs`: their topics, strongest first, at most `max`. The same list as
 * `scoreProfile(...).topics`, for a backend that needs the topics without a score. A topic's score is its decayed
 * interest: 1 per page view on it and 8 per qualified read, halved every `model.halfLifeDays`.
 *
 * @param max How many to return. @default 5
 * @example
 * getTopics(profile, DEFAULT_MODEL, Date.now());
 * // [{ name: 'reconciliation', reads: 3, minutes: 11, score: 27 }, { name: 'payroll', reads: 1, minutes: 4, score: 9 }]
 */
export function getTopics(profile: Profile, model: Model, nowMs: number, max: number = LIMITS.MAX_TOPICS): TopicInterest[] {
  return rankTopics(summarise(profile, model, nowMs)).slice(0, max);
}
