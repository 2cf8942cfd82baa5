import { describe, expect, it } from 'vitest';
import { makeEvent } from '../../test/events.js';
import { validateEvent } from '../validate.js';
import type { AnyEvent } from '../wire.js';
import { DEFAULT_MODEL } from './default-model.js';
import { getTopicColumns, getTopicFeatures } from './features.js';
import { DAY_MS } from '../time.js';
import { applyEvent, createProfile } from './profile.js';
import { scoreProfile } from './score.js';
import { getTopics } from './topics.js';
import type { Profile } from './types.js';

const T0 = Date.parse('2025-03-03T00:00:00Z');
const at = (day: number, hour = 10): string => new Date(T0 + day * DAY_MS + hour * 3600e3).toISOString();
const noon = (day: number): number => T0 + day * DAY_MS + 12 * 3600e3;
const PAGE = { path: '/blog/close', kind: 'article' };

const view = (day: number, topics: string[]): AnyEvent =>
  makeEvent('page_view', { ts: at(day), page: PAGE, props: { nav: 'load', topics } });

/** An article on `topics` viewed and read, the read qualifying after `attentiveS` seconds. */
function read(day: number, topics: string[], attentiveS = 220): AnyEvent[] {
  const props = {
    pageViewId: '0193a4f2-5c1e-7b3a-9f4e-1c2d3e4f5a6b',
    words: 1500,
    expectedMs: 378_000,
    attentiveMs: attentiveS * 1000,
    readRatio: 0.58,
    scrollDepth: 1,
    topics,
  };
  return [view(day, topics), makeEvent('article_read', { ts: at(day, 10.5), page: PAGE, props })];
}

function profileOf(events: AnyEvent[]): Profile {
  const profile = createProfile();
  for (const e of events) applyEvent(profile, e);
  return profile;
}

describe('topics in the profile', () => {
  it('keeps page views, reads and read seconds per topic in the day bucket', () => {
    const profile = profileOf([...read(0, ['reconciliation', 'close'], 200), view(0, ['close'])]);
    const day = String(Math.floor(T0 / DAY_MS));
    expect(profile.d[day]).toMatchObject({
      'tv:reconciliation': 1,
      'tv:close': 2,
      'tr:reconciliation': 1,
      'tr:close': 1,
      'tq:reconciliation': 200,
      'tq:close': 200,
    });
  });

  it('counts a topic from page views and reads only, not from an engagement or a track event', () => {
    const engagement = makeEvent('page_engagement', {
      ts: at(0),
      page: PAGE,
      props: { pageViewId: '0193a4f2-5c1e-7b3a-9f4e-1c2d3e4f5a6b', engagedMs: 1, attentiveMs: 1, scrollDepth: 1, topics: ['x'] } as never,
    });
    const track = makeEvent('track', { ts: at(0), page: PAGE, props: { name: 'demo_request', topics: ['x'] } });
    expect(getTopics(profileOf([engagement, track]), DEFAULT_MODEL, noon(0))).toEqual([]);
  });

  it('scores 1 per page view and 8 per read, halved every half-life, strongest first', () => {
    const events = [
      ...read(0, ['reconciliation']),
      ...read(0, ['reconciliation']),
      ...read(30, ['payroll']),
      view(30, ['payroll']),
      view(30, ['tax']),
    ];
    expect(getTopics(profileOf(events), DEFAULT_MODEL, noon(30))).toEqual([
      // Today: 2 views + 1 read. 30 days ago: (2 views + 2 reads) / 2.
      { name: 'payroll', reads: 1, minutes: 4, score: 10 },
      { name: 'reconciliation', reads: 2, minutes: 7, score: 9 },
      { name: 'tax', reads: 0, minutes: 0, score: 1 },
    ]);
  });

  it('ranks ties by reads, then by name, and returns at most 5', () => {
    const events = ['f', 'e', 'd', 'c', 'b', 'a'].map((t) => view(0, [t]));
    events.push(...read(0, ['z'], 60).slice(1));
    const topics = getTopics(profileOf(events), DEFAULT_MODEL, noon(0));
    expect(topics.map((t) => t.name)).toEqual(['z', 'a', 'b', 'c', 'd']);
    expect(getTopics(profileOf(events), DEFAULT_MODEL, noon(0), 10)).toHaveLength(7);
  });

  it('is the same whatever order the events arrived in', () => {
    const events = [...read(0, ['reconciliation', 'close']), ...read(1, ['payroll']), view(2, ['close']), ...read(2, ['close'])];
    const forward = scoreProfile(profileOf(events), DEFAULT_MODEL, noon(3));
    const backward = scoreProfile(profileOf([...events].reverse()), DEFAULT_MODEL, noon(3));
    expect(backward).toEqual(forward);
    expect(forward.topics[0]).toMatchObject({ name: 'close', reads: 2 });
  });

  it('keeps a topic named like an object property as a topic, touching no prototype', () => {
    const topics = getTopics(profileOf([view(0, ['__proto__']), view(0, ['constructor'])]), DEFAULT_MODEL, noon(0));
    expect(topics.map((t) => t.name)).toEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>)[0]).toBeUndefined();
  });

  it('keeps a topic that holds a colon whole', () => {
    expect(getTopics(profileOf(read(0, ['c: the language'])), DEFAULT_MODEL, noon(0))[0]).toMatchObject({
      name: 'c: the language',
      reads: 1,
    });
  });
});

describe('topics in the intent', () => {
  it('names the topic in the reads reason when every read was on it', () => {
    const events = [...read(0, ['reconciliation'], 230), ...read(0, ['reconciliation'], 210), ...read(0, ['reconciliation'], 220)];
    const intent = scoreProfile(profileOf(events), DEFAULT_MODEL, noon(0));
    expect(intent.reasons).toEqual(['read 3 articles on reconciliation (11 min)', 'viewed 3 pages']);
    expect(intent.topics).toEqual([{ name: 'reconciliation', reads: 3, minutes: 11, score: 27 }]);
  });

  it('gives the strongest topic read right after all reads when some were on other topics', () => {
    const events = [
      ...read(0, ['reconciliation'], 230),
      ...read(0, ['reconciliation'], 210),
      ...read(0, ['payroll'], 120),
      ...read(0, [], 60),
    ];
    const intent = scoreProfile(profileOf(events), DEFAULT_MODEL, noon(0));
    expect(intent.reasons.slice(0, 2)).toEqual(['read 4 articles (10 min)', 'read 2 articles on reconciliation (7 min)']);
    expect(intent.topics.map((t) => t.name)).toEqual(['reconciliation', 'payroll']);
  });

  it('names the strongest topic that has reads, not one only viewed', () => {
    const events = [...Array.from({ length: 12 }, () => view(0, ['pricing plans'])), ...read(0, ['payroll'], 120), ...read(0, [], 60)];
    const intent = scoreProfile(profileOf(events), DEFAULT_MODEL, noon(0));
    expect(intent.topics[0]!.name).toBe('pricing plans');
    expect(intent.reasons).toContain('read 1 article on payroll (2 min)');
  });

  it('keeps the plain reads reason for a model without a topic_reads template', () => {
    const { topic_reads: _, ...reasons } = DEFAULT_MODEL.reasons;
    const intent = scoreProfile(profileOf(read(0, ['reconciliation'], 230)), { ...DEFAULT_MODEL, reasons }, noon(0));
    expect(intent.reasons[0]).toBe('read 1 article (4 min)');
    expect(intent.topics[0]!.name).toBe('reconciliation');
  });

  it('makes an intent event the wire format accepts, topics included', () => {
    const intent = scoreProfile(profileOf(read(0, ['reconciliation'])), DEFAULT_MODEL, noon(0));
    expect(validateEvent(makeEvent('intent', { props: intent })).ok).toBe(true);
  });
});

describe('topic features', () => {
  it('gives one topic:<name> column per topic, valued at its decayed interest', () => {
    const profile = profileOf([...read(0, ['reconciliation']), view(30, ['payroll'])]);
    expect(getTopicFeatures(profile, DEFAULT_MODEL, noon(30))).toEqual({ 'topic:reconciliation': 5, 'topic:payroll': 1 });
  });

  it('keeps the columns of topics enough leads have, the most common first', () => {
    const leads = [...Array.from({ length: 3 }, () => ['topic:a', 'topic:b']), ['topic:b', 'topic:b'], ['topic:c']];
    expect(getTopicColumns(leads, 3)).toEqual(['topic:b', 'topic:a']);
    expect(getTopicColumns(leads, 1, 2)).toEqual(['topic:b', 'topic:a']);
    expect(getTopicColumns(leads)).toEqual([]);
  });
});

describe('topics on the wire', () => {
  const readEvent = (topics: unknown) => makeEvent('article_read', { props: { ...makeEvent('article_read').props, topics } as never });

  it('accepts up to 5 topics on page views and reads', () => {
    expect(validateEvent(makeEvent('page_view', { props: { nav: 'spa', topics: ['a', 'b', 'c', 'd', 'e'] } })).ok).toBe(true);
    expect(validateEvent(readEvent(['reconciliation'])).ok).toBe(true);
  });

  it.each([
    [['a', 'b', 'c', 'd', 'e', 'f'], 'event.props.topics: expected at most 5 items, got "6 items"'],
    [['x'.repeat(65)], 'event.props.topics[0]: expected at most 64 characters, got "65 characters"'],
    [[''], 'event.props.topics[0]: expected a non-empty string, got ""'],
    ['reconciliation', 'event.props.topics: expected an array, got "reconciliation"'],
  ])('rejects topics %j', (topics, message) => {
    expect(validateEvent(readEvent(topics))).toMatchObject({ ok: false, message });
  });

  it('rejects a topic of an intent without its numbers', () => {
    const intent = { ...makeEvent('intent').props, topics: [{ name: 'payroll', reads: 1 }] };
    expect(validateEvent(makeEvent('intent', { props: intent as never }))).toMatchObject({
      ok: false,
      message: 'event.props.topics[0].minutes: expected a value (it is required), got nothing (and 1 more issue)',
    });
  });
});
