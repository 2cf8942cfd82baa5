import { DAY_MS } from '../time.js';
import type { IntentLevel, TopicInterest } from '../wire.js';
import { LIMITS } from '../wire.js';
import { DEFAULT_ACCOUNT_MODEL } from './account-model.js';
import type { AccountModel } from './account-model.js';
import { getLevel } from './score.js';
import { getFeature, summarise } from './summary.js';
import { rankTopics } from './topics.js';
import type { Model, Profile } from './types.js';

/** One member of an account, as scoring reads it: their lead's profile snapshot (`null` before one is built). */
export interface AccountMember {
  id: string;
  profile: Profile | null;
}

/** An account's interest in one topic: its members' summed, plus how many of them researched it. */
export interface AccountTopic extends TopicInterest {
  /** Members with this topic among their pages. */
  people: number;
}

/** A judgement on one account: what the account model returns, what an account webhook reports. */
export interface AccountIntent {
  /** 0 to 100, a whole number. */
  score: number;
  level: IntentLevel;
  /** The level this result was computed from. */
  previous: IntentLevel;
  /** Why, most important first, at most 5: `3 people researched reconciliation this week`, `1 person viewed pricing twice`. */
  reasons: string[];
  /** The `version` of the account model. */
  model: string;
  /** What the account researches, strongest first, at most 5. */
  topics: AccountTopic[];
  /** Members scored. */
  members: number;
  /** Engaged people (see `AccountModel.engagedPoints`). */
  people: number;
  /** Engaged people seen within `recentDays`. */
  recentPeople: number;
}

const MAX_REASONS = 5;
const PEOPLE = ['engaged_people', 'recent_people'];

/** Fills an account reason template (see `AccountModel.reasons`). */
export function renderAccountReason(template: string, people: number, n: number, topic = ''): string {
  return template.replace(/\{([^}]*)\}/g, (_, key: string) => {
    if (key == 'k') return String(people);
    if (key == 'n') return String(n);
    if (key == 't') return topic;
    // The count is every person's together: "2 people viewed pricing twice" would say each did.
    if (key == 'x') return (n > 2 ? n + ' times' : n > 1 ? 'twice' : 'once') + (people > 1 ? ' between them' : '');
    const [by, words = ''] = key.split(':');
    return words.split('|')[(by == 'k' ? people : n) == 1 ? 0 : 1] ?? '';
  });
}

interface MemberSummary {
  decayed: Record<string, number>;
  totals: Record<string, number>;
  engaged: boolean;
  recent: boolean;
  topics: TopicInterest[];
  /** Topics with a page view or read within `recentDays`. */
  weekTopics: Set<string>;
}

function summariseMember(profile: Profile, leadModel: Model, account: AccountModel, nowMs: number): MemberSummary {
  const summary = summarise(profile, leadModel, nowMs);
  const [decayed, totals] = summary;
  let points = 0;
  for (const k in account.points) if (!PEOPLE.includes(k)) points += account.points[k]![0] * getFeature(decayed, k);
  const engaged = points >= account.engagedPoints;
  const today = Math.floor(nowMs / DAY_MS);
  const weekTopics = new Set<string>();
  for (const day in profile.d) {
    if (today - +day >= account.recentDays) continue;
    for (const key in profile.d[day]) if (/^t[vr]:/.test(key)) weekTopics.add(key.slice(3));
  }
  return {
    decayed,
    totals,
    engaged,
    recent: engaged && (decayed['days_since_last_seen'] ?? Infinity) < account.recentDays,
    topics: rankTopics(summary),
    weekTopics,
  };
}

/**
 * An account's signals at `nowMs`: `members`, `engaged_people`, `recent_people`, and every signal of the account
 * model summed over members (decayed as the lead model decays them). The `export-features --accounts` row, and what
 * {@link scoreAccount} weighs.
 */
export function getAccountFeatures(
  members: readonly AccountMember[],
  leadModel: Model,
  nowMs: number,
  account: AccountModel = DEFAULT_ACCOUNT_MODEL,
): Record<string, number> {
  return accountTerms(members, leadModel, nowMs, account).features;
}

function accountTerms(members: readonly AccountMember[], leadModel: Model, nowMs: number, account: AccountModel) {
  const summaries = members.flatMap((m) => (m.profile ? [summariseMember(m.profile, leadModel, account, nowMs)] : []));
  const features: Record<string, number> = {
    members: members.length,
    engaged_people: summaries.filter((s) => s.engaged).length,
    recent_people: summaries.filter((s) => s.recent).length,
  };
  // Per signal: how many people have it, and its count (not decayed), for the reasons.
  const people: Record<string, number> = { engaged_people: features['engaged_people']!, recent_people: features['recent_people']! };
  const counts: Record<string, number> = { ...people };
  for (const k in account.points) {
    if (PEOPLE.includes(k)) continue;
    features[k] = 0;
    people[k] = counts[k] = 0;
    for (const s of summaries) {
      const value = getFeature(s.decayed, k);
      features[k] += value;
      const n = getFeature(s.totals, k);
      if (n > 0) {
        people[k]!++;
        counts[k]! += n;
      }
    }
  }
  return { summaries, features, people, counts };
}

/** Members' topics summed by name, each with the people who researched it, strongest first (ties by name). */
function mergeTopics(summaries: readonly MemberSummary[]): AccountTopic[] {
  const byName = new Map<string, AccountTopic>();
  for (const s of summaries) {
    for (const t of s.topics) {
      const merged = byName.get(t.name) ?? { name: t.name, reads: 0, minutes: 0, score: 0, people: 0 };
      merged.reads += t.reads;
      merged.minutes += t.minutes;
      merged.score += t.score;
      merged.people++;
      byName.set(t.name, merged);
    }
  }
  return [...byName.values()].sort((a, b) => b.score - a.score || (a.name < b.name ? -1 : 1));
}

/**
 * Scores an account at `nowMs` from its members' profiles: distinct engaged people, their signals summed and capped
 * (`AccountModel.points`), what they research and how recently, with hysteresis from `previous` like a lead's level.
 * Deterministic, and the same whatever order the members come in.
 *
 * @param leadModel The model the members' profiles were built with: it decides their decay.
 * @example
 * scoreAccount(members, DEFAULT_MODEL, Date.now(), 'cold');
 * // { score: 65, level: 'warm', reasons: ['2 people researched reconciliation this week', '2 people viewed pricing twice between them', ...], ... }
 */
export function scoreAccount(
  members: readonly AccountMember[],
  leadModel: Model,
  nowMs: number,
  previous: IntentLevel = 'cold',
  account: AccountModel = DEFAULT_ACCOUNT_MODEL,
): AccountIntent {
  const { summaries, features, people, counts } = accountTerms(members, leadModel, nowMs, account);
  const reasons: { reason: string; weight: number }[] = [];
  let raw = 0;
  const topics = mergeTopics(summaries);
  const top = topics[0];
  for (const k in account.points) {
    const [each, cap] = account.points[k]!;
    const value = features[k] ?? 0;
    const weight = Math.max(-cap, Math.min(cap, each * value));
    raw += weight;
    const k_ = people[k] ?? 0;
    if (!weight || !k_) continue;
    // The strongest topic speaks for the people: "3 people researched reconciliation this week".
    if (k == 'engaged_people' && top) {
      const week = summaries.filter((s) => s.weekTopics.has(top.name)).length;
      const template = week ? account.reasons['topic_week'] : account.reasons['topic'];
      if (template) {
        reasons.push({ reason: renderAccountReason(template, week || top.people, 0, top.name), weight });
        continue;
      }
    }
    const template = account.reasons[k];
    if (template) reasons.push({ reason: renderAccountReason(template, k_, Math.round(counts[k] ?? 0)), weight });
  }
  // A stable sort: ties keep the model's order.
  reasons.sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight));
  const score = Math.round(Math.min(100, Math.max(0, raw)));
  const levels = { ...account.levels, minKinds: account.levels.minPeople };
  return {
    score,
    level: getLevel(score, levels, features['engaged_people']!, previous),
    previous,
    reasons: reasons.slice(0, MAX_REASONS).map((r) => r.reason),
    model: account.version,
    topics: topics.slice(0, LIMITS.MAX_TOPICS),
    members: members.length,
    people: features['engaged_people']!,
    recentPeople: features['recent_people']!,
  };
}
