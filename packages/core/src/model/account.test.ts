import { describe, expect, it } from 'vitest';
import { makeEvent } from '../../test/events.js';
import { DAY_MS } from '../time.js';
import type { AnyEvent } from '../wire.js';
import { getAccountFeatures, renderAccountReason, scoreAccount } from './account.js';
import type { AccountMember } from './account.js';
import { DEFAULT_ACCOUNT_MODEL } from './account-model.js';
import { DEFAULT_MODEL } from './default-model.js';
import { applyEvent, createProfile } from './profile.js';
import { scoreProfile } from './score.js';

const T0 = Date.parse('2026-03-02T00:00:00Z');
const at = (day: number, hour = 10): string => new Date(T0 + day * DAY_MS + hour * 3600e3).toISOString();
const NOW = T0 + 2 * DAY_MS + 18 * 3600e3;

const pricing = (day: number): AnyEvent =>
  makeEvent('page_view', { ts: at(day), page: { path: '/pricing', kind: 'pricing' }, props: { nav: 'load' } });
const careers = (day: number): AnyEvent =>
  makeEvent('page_view', { ts: at(day), page: { path: '/careers', kind: 'careers' }, props: { nav: 'load' } });
const demo = (day: number): AnyEvent =>
  makeEvent('track', { ts: at(day, 11), page: { path: '/demo', kind: 'contact' }, props: { name: 'demo_request' } });

function read(day: number, topics: string[]): AnyEvent[] {
  const page = { path: '/blog/close', kind: 'article' };
  const props = {
    pageViewId: '0193a4f2-5c1e-7b3a-9f4e-1c2d3e4f5a6b',
    words: 1500,
    expectedMs: 378_000,
    attentiveMs: 220_000,
    readRatio: 0.58,
    scrollDepth: 1,
    topics,
  };
  return [
    makeEvent('page_view', { ts: at(day), page, props: { nav: 'load', topics } }),
    makeEvent('article_read', { ts: at(day, 10.5), page, props }),
  ];
}

function member(id: string, events: AnyEvent[]): AccountMember {
  const profile = createProfile();
  for (const e of events) applyEvent(profile, e);
  return { id, profile };
}

/** One person who read about reconciliation and viewed pricing once: a cold lead. */
const researcher = (id: string, day = 1): AccountMember => member(id, [...read(day, ['reconciliation']), pricing(day)]);

describe('scoreAccount', () => {
  it('makes an account of two researching people warm while each of their leads stays cold', () => {
    const ada = researcher('ada');
    const grace = researcher('grace', 2);
    for (const m of [ada, grace]) expect(scoreProfile(m.profile!, DEFAULT_MODEL, NOW).level).toBe('cold');
    const intent = scoreAccount([ada, grace], DEFAULT_MODEL, NOW);
    expect(intent).toMatchObject({ level: 'warm', previous: 'cold', model: 'account-1', members: 2, people: 2, recentPeople: 2 });
    expect(intent.score).toBeGreaterThanOrEqual(DEFAULT_ACCOUNT_MODEL.levels.warm);
    expect(intent.reasons[0]).toBe('2 people researched reconciliation this week');
    expect(intent.reasons).toContain('2 people viewed pricing twice between them');
    expect(intent.topics[0]).toMatchObject({ name: 'reconciliation', reads: 2, people: 2 });
  });

  it('says "1 person viewed pricing twice" when one person did, and counts the topic by the people who researched it', () => {
    const ada = member('ada', [...read(1, ['reconciliation']), pricing(1), pricing(2)]);
    const grace = member('grace', read(2, ['reconciliation']));
    const linus = member('linus', [...read(2, ['reconciliation']), ...read(2, ['payroll'])]);
    const intent = scoreAccount([ada, grace, linus], DEFAULT_MODEL, NOW);
    expect(intent.reasons[0]).toBe('3 people researched reconciliation this week');
    expect(intent.reasons).toContain('1 person viewed pricing twice');
    expect(intent.reasons).toContain('3 people read 4 articles');
    expect(intent.topics.map((t) => [t.name, t.people])).toEqual([
      ['reconciliation', 3],
      ['payroll', 1],
    ]);
  });

  it('keeps one person alone cold, however engaged: their lead speaks for them', () => {
    const heavy = member('ada', [...read(0, ['a']), ...read(1, ['b']), ...read(2, ['c']), pricing(1), pricing(2), demo(2)]);
    const intent = scoreAccount([heavy, member('bob', [])], DEFAULT_MODEL, NOW);
    expect(intent.people).toBe(1);
    expect(intent.level).toBe('cold');
    expect(scoreProfile(heavy.profile!, DEFAULT_MODEL, NOW).level).toBe('hot');
  });

  it('turns hot with three people and a demo request', () => {
    const members = [researcher('a'), researcher('b'), member('c', [...read(2, ['reconciliation']), pricing(2), demo(2)])];
    const intent = scoreAccount(members, DEFAULT_MODEL, NOW);
    expect(intent.level).toBe('hot');
    expect(intent.reasons).toContain('1 person asked for a conversation (1 request)');
  });

  it('does not count people who only look at careers pages', () => {
    const members = ['a', 'b', 'c'].map((id) => member(id, [careers(1), careers(2)]));
    const intent = scoreAccount(members, DEFAULT_MODEL, NOW);
    expect(intent).toMatchObject({ score: 0, level: 'cold', people: 0 });
  });

  it('caps each signal, so many readers cannot pass the caps', () => {
    const many = Array.from({ length: 200 }, (_, i) => researcher(`m${i}`));
    const intent = scoreAccount(many, DEFAULT_MODEL, NOW);
    const features = getAccountFeatures(many, DEFAULT_MODEL, NOW);
    expect(features['engaged_people']).toBe(200);
    expect(features['article_reads']).toBeCloseTo(200 * 2 ** (-1 / 30), 0);
    expect(intent.score).toBe(100);
    // The caps of the people and the signals the members have: nothing beyond them.
    const p = DEFAULT_ACCOUNT_MODEL.points;
    const capped = p['engaged_people']![1] + p['recent_people']![1] + p['article_reads']![1] + p['pricing_views']![1];
    expect(capped).toBeGreaterThanOrEqual(100);
  });

  it('keeps the level with hysteresis, like a lead', () => {
    // Two people whose research was 14 days ago: the score has decayed and nobody is recent.
    const old = [researcher('a', 1), researcher('b', 1)];
    const later = T0 + 16 * DAY_MS;
    const fresh = scoreAccount(old, DEFAULT_MODEL, later, 'cold');
    const held = scoreAccount(old, DEFAULT_MODEL, later, 'warm');
    expect(fresh.score).toBeLessThan(DEFAULT_ACCOUNT_MODEL.levels.warm);
    expect(fresh.score).toBeGreaterThanOrEqual(DEFAULT_ACCOUNT_MODEL.levels.warmExit);
    expect(fresh.level).toBe('cold');
    expect(held.level).toBe('warm');
    expect(fresh.reasons[0]).toBe('2 people researched reconciliation');
  });

  it('is the same whatever order the members come in, and ignores members without a profile', () => {
    const members = [researcher('a'), member('b', read(2, ['payroll'])), { id: 'c', profile: null }];
    const forward = scoreAccount(members, DEFAULT_MODEL, NOW);
    const backward = scoreAccount([...members].reverse(), DEFAULT_MODEL, NOW);
    expect(backward).toEqual(forward);
    expect(forward.members).toBe(3);
  });
});

describe('renderAccountReason', () => {
  it('fills people, counts, topic and both plural forms', () => {
    expect(renderAccountReason('{k} {k:person|people} read {n} {n:article|articles} on {t}', 1, 3, 'payroll')).toBe(
      '1 person read 3 articles on payroll',
    );
    expect(renderAccountReason('{k} viewed pricing {x}', 1, 1)).toBe('1 viewed pricing once');
    // A count of several people is theirs together, never each one's.
    expect(renderAccountReason('{k} {k:person|people} viewed pricing {x}', 2, 2)).toBe('2 people viewed pricing twice between them');
  });
});
