import { describe, expect, it } from 'vitest';
import { makeEvent } from '../../test/events.js';
import type { AnyEvent, IntentLevel, PageKind } from '../wire.js';
import { DEFAULT_MODEL } from './default-model.js';
import { DAY_MS } from '../time.js';
import { applyEvent, createProfile } from './profile.js';
import { explainProfile, getDiminished, getLevel, getRawScore, renderReason, scoreProfile } from './score.js';
import type { LogisticModel, Model, Profile } from './types.js';

const T0 = Date.parse('2025-03-03T00:00:00Z');
const at = (day: number, hour = 10): string => new Date(T0 + day * DAY_MS + hour * 3600e3).toISOString();
const noon = (day: number): number => T0 + day * DAY_MS + 12 * 3600e3;
const PAGE_VIEW_ID = '0193a4f2-5c1e-7b3a-9f4e-1c2d3e4f5a6b';

/** A page view, and when `attentiveS` is given, the engagement sent when the page is left. */
function view(kind: PageKind, day: number, attentiveS = 0): AnyEvent[] {
  const page = { path: `/${kind}`, kind };
  const events: AnyEvent[] = [makeEvent('page_view', { ts: at(day), page })];
  const props = { pageViewId: PAGE_VIEW_ID, engagedMs: attentiveS * 400, attentiveMs: attentiveS * 1000, scrollDepth: 1 };
  if (attentiveS) events.push(makeEvent('page_engagement', { ts: at(day, 11), page, props }));
  return events;
}

/** An article viewed and read (the read qualifies before the page is left). */
function read(day: number, attentiveS: number): AnyEvent[] {
  const props = { pageViewId: PAGE_VIEW_ID, words: 1500, expectedMs: 378_000, attentiveMs: 140_000, readRatio: 0.37, scrollDepth: 1 };
  const [pageView, engagement] = view('article', day, attentiveS);
  return [pageView!, makeEvent('article_read', { ts: at(day, 10.5), props }), engagement!];
}

function visit(day: number, n: number, daysSinceLast: number | null): AnyEvent {
  return makeEvent('visit_start', { ts: at(day, 9), props: { ...makeEvent('visit_start').props, visit: n, daysSinceLast } });
}

const track = (day: number, name: string): AnyEvent => makeEvent('track', { ts: at(day, 13), props: { name } });

function profileOf(events: AnyEvent[], model?: Model): Profile {
  const profile = createProfile();
  for (const e of events) applyEvent(profile, e, model);
  return profile;
}

describe('the default model, as a salesperson expects', () => {
  it('calls a visitor who read three articles, viewed pricing twice and came back within a week warm', () => {
    const events = [
      visit(0, 1, null),
      ...read(0, 230),
      ...read(0, 210),
      ...read(0, 220),
      ...view('pricing', 0, 40),
      visit(4, 2, 4),
      ...view('pricing', 4, 65),
    ];
    const intent = scoreProfile(profileOf(events), DEFAULT_MODEL, noon(4));
    // Day 0 decayed 4 days (x0.912): 4 pages + 3 reads + pricing + a visit = 44 -> 40.1, cold on its own;
    // day 4: page + pricing + return + a visit = 27. (Time on articles and pricing speaks through reads and views.)
    expect(intent).toEqual({
      score: 67,
      level: 'warm',
      previous: 'cold',
      reasons: ['viewed pricing twice', 'read 3 articles (11 min)', '2nd visit this week', 'viewed 5 pages'],
      model: 'default-2',
      topics: [],
    });
    expect(scoreProfile(profileOf(events.slice(0, 12)), DEFAULT_MODEL, noon(0))).toMatchObject({ score: 44, level: 'cold' });
  });

  it('calls a one-page bounce cold', () => {
    const intent = scoreProfile(profileOf([visit(0, 1, null), ...view('article', 0, 8)]), DEFAULT_MODEL, noon(0));
    // A page, a visit and 8 seconds: no reason for a minute that rounds to 0.
    expect(intent).toMatchObject({ score: 2, level: 'cold', reasons: ['viewed 1 page'] });
  });

  it('keeps a visitor who reads only careers pages cold, however many and however long', () => {
    const events: AnyEvent[] = [];
    for (let day = 0; day < 14; day++) {
      events.push(visit(day, day + 1, day ? 1 : null));
      for (let i = 0; i < 8; i++) events.push(...view('careers', day, 600));
    }
    const profile = profileOf(events);
    for (let day = 0; day < 14; day++) {
      const intent = scoreProfile(profile, DEFAULT_MODEL, noon(day));
      expect(intent.level).toBe('cold');
      expect(intent.score).toBe(0);
    }
    expect(scoreProfile(profile, DEFAULT_MODEL, noon(13)).reasons[0]).toBe('viewed 112 careers pages');
  });

  it('calls a demo request hot, with or without the pages around it', () => {
    const journey = [visit(0, 1, null), ...view('contact', 0, 45), track(0, 'demo_request')];
    expect(scoreProfile(profileOf(journey), DEFAULT_MODEL, noon(0))).toEqual({
      score: 100,
      level: 'hot',
      previous: 'cold',
      reasons: ['requested a demo', 'visited the contact page once', 'viewed 1 page'],
      model: 'default-2',
      topics: [],
    });
    expect(scoreProfile(profileOf([track(0, 'demo_request')]), DEFAULT_MODEL, noon(0))).toMatchObject({ score: 80, level: 'hot' });
  });
});

describe('points', () => {
  it('caps each signal per day', () => {
    const tenPricing = Array.from({ length: 10 }, () => view('pricing', 0)).flat();
    // 10 page views (cap 10) + 10 pricing views (15 each, cap 30).
    expect(scoreProfile(profileOf(tenPricing), DEFAULT_MODEL, noon(0)).score).toBe(40);
    const pages = Array.from({ length: 30 }, () => view('other', 0)).flat();
    expect(scoreProfile(profileOf(pages), DEFAULT_MODEL, noon(0)).score).toBe(10);
    // The cap is per day: the same views spread over two days count more, with diminishing returns past one
    // day's worth (day 0 decayed by one day): 10 × (1 + ln(19.77 / 10)) = 16.8.
    const twoDays = [...pages, ...Array.from({ length: 30 }, () => view('other', 1)).flat()];
    expect(scoreProfile(profileOf(twoDays), DEFAULT_MODEL, noon(1)).score).toBe(Math.round(10 * (1 + Math.log(1 + 2 ** (-1 / 30)))));
    expect(scoreProfile(profileOf(twoDays), DEFAULT_MODEL, noon(1)).score).toBe(17);
  });

  it('caps a negative signal at its daily size', () => {
    const model: Model = { ...DEFAULT_MODEL, points: { pricing_views: [15, 30], careers_views: [-10, 20] } };
    const events = [...view('pricing', 0), ...view('pricing', 0), ...Array.from({ length: 5 }, () => view('careers', 0)).flat()];
    expect(scoreProfile(profileOf(events, model), model, noon(0)).score).toBe(10);
  });

  it('gives points per minute to a minutes signal', () => {
    const model: Model = { ...DEFAULT_MODEL, points: { article_minutes: [2, 30], page_minutes: [1, 100] } };
    // 5 minutes on an article and 1 on pricing: 10 + 6 points.
    expect(scoreProfile(profileOf([...view('article', 0, 300), ...view('pricing', 0, 60)], model), model, noon(0)).score).toBe(16);
  });

  it('halves a signal every half-life and floors the score at 0 and caps it at 100', () => {
    const contact = profileOf(view('contact', 0));
    expect(scoreProfile(contact, DEFAULT_MODEL, noon(0)).score).toBe(21);
    // 21 points, 30 and 60 days later.
    expect(scoreProfile(contact, DEFAULT_MODEL, noon(30)).score).toBe(11);
    expect(scoreProfile(contact, DEFAULT_MODEL, noon(60)).score).toBe(5);
    expect(scoreProfile(contact, { ...DEFAULT_MODEL, halfLifeDays: 7 }, noon(14)).score).toBe(5);
    expect(
      scoreProfile(profileOf([track(0, 'demo_request'), track(0, 'trial_start'), ...view('pricing', 0)]), DEFAULT_MODEL, noon(0)).score,
    ).toBe(100);
    expect(scoreProfile(profileOf(view('careers', 0)), DEFAULT_MODEL, noon(0)).score).toBe(0);
  });

  it('ages a day bucket in whole days, and counts a bucket in the future as today', () => {
    const contact = profileOf(view('contact', 5));
    expect(scoreProfile(contact, DEFAULT_MODEL, T0 + 5 * DAY_MS).score).toBe(21);
    expect(scoreProfile(contact, DEFAULT_MODEL, T0 + 6 * DAY_MS - 1).score).toBe(21);
    expect(scoreProfile(contact, DEFAULT_MODEL, noon(0)).score).toBe(21);
    expect(scoreProfile(contact, DEFAULT_MODEL, T0 + 6 * DAY_MS).score).toBe(Math.round(21 * 2 ** (-1 / 30)));
  });

  it('needs two kinds of positive signal before warm', () => {
    // 3 days of pricing (30 a day) and page views: 68 points of one kind.
    const pricingOnly = [0, 1, 2].flatMap((day) => [...view('pricing', day), ...view('pricing', day)]);
    const intent = scoreProfile(profileOf(pricingOnly), DEFAULT_MODEL, noon(2));
    expect(intent.score).toBe(68);
    expect(intent.level).toBe('cold');
    const withDocs = [...pricingOnly, ...view('docs', 2)];
    expect(scoreProfile(profileOf(withDocs), DEFAULT_MODEL, noon(2)).level).toBe('warm');
  });

  it("counts a signal past one day's cap with diminishing returns, and penalties in full", () => {
    expect(getDiminished(12, 30)).toBe(12);
    expect(getDiminished(30, 30)).toBe(30);
    expect(getDiminished(60, 30)).toBeCloseTo(30 * (1 + Math.LN2), 12);
    expect(getDiminished(120, 30)).toBeCloseTo(30 * (1 + 2 * Math.LN2), 12);
    expect(getDiminished(-200, 50)).toBe(-200);
    // Strictly increasing: more activity never ranks lower.
    for (let p = 1; p < 500; p *= 1.7) expect(getDiminished(p * 1.01, 10)).toBeGreaterThan(getDiminished(p, 10));
  });

  it('keeps ordering visitors above the displayed cap of 100 with the raw score', () => {
    const regular = (days: number) =>
      Array.from({ length: days }, (_, day) => [
        visit(day, day + 1, day ? 1 : null),
        ...view('contact', day, 600),
        ...read(day, 300),
      ]).flat();
    const [some, more] = [profileOf(regular(10)), profileOf(regular(20))];
    expect(scoreProfile(some, DEFAULT_MODEL, noon(20)).score).toBe(100);
    expect(scoreProfile(more, DEFAULT_MODEL, noon(20)).score).toBe(100);
    expect(getRawScore(some, DEFAULT_MODEL, noon(20))).toBeGreaterThan(100);
    expect(getRawScore(more, DEFAULT_MODEL, noon(20))).toBeGreaterThan(getRawScore(some, DEFAULT_MODEL, noon(20)));
    // Below the cap the raw score is the score, unrounded.
    expect(getRawScore(profileOf(view('contact', 0)), DEFAULT_MODEL, noon(0))).toBe(21);
  });

  it('makes a visitor warm on a site whose pages carry no kinds, from minutes and returns', () => {
    // Only "other" pages: three visits in a week, 6 pages and 12 attentive minutes each.
    const events = [0, 2, 5].flatMap((day, n) => [
      visit(day, n + 1, n ? day - [0, 2, 5][n - 1]! : null),
      ...Array.from({ length: 6 }, () => view('other', day, 120)).flat(),
    ]);
    const intent = scoreProfile(profileOf(events), DEFAULT_MODEL, noon(5));
    expect(intent).toMatchObject({ level: 'warm', reasons: ['spent 36 min on other pages', '3rd visit this week', 'viewed 18 pages'] });
    // The same pages in one visit with no time on them stay cold: page views are volume, not a kind.
    const skim = [visit(0, 1, null), ...Array.from({ length: 40 }, () => view('other', 0)).flat()];
    expect(scoreProfile(profileOf(skim), DEFAULT_MODEL, noon(0)).level).toBe('cold');
  });

  it('names its model in every result', () => {
    const model: Model = { ...DEFAULT_MODEL, version: 'acme-2025-03' };
    expect(scoreProfile(createProfile(), model, noon(0)).model).toBe('acme-2025-03');
  });
});

describe('levels', () => {
  const levels = DEFAULT_MODEL.levels;
  const walk = (scores: number[], start: IntentLevel = 'cold'): IntentLevel[] => {
    let level = start;
    return scores.map((score) => (level = getLevel(score, levels, 2, level)));
  };

  it('does not flap around the warm threshold', () => {
    expect(walk([49, 51, 49, 51, 45, 40, 39, 41, 49, 50])).toEqual([
      'cold',
      'warm',
      'warm',
      'warm',
      'warm',
      'warm',
      'cold',
      'cold',
      'cold',
      'warm',
    ]);
  });

  it('does not flap around the hot threshold, and drops from hot to cold in one step when the score falls far', () => {
    expect(walk([81, 79, 75, 70, 69, 79, 80, 39])).toEqual(['hot', 'hot', 'hot', 'hot', 'warm', 'warm', 'hot', 'cold']);
    expect(walk([45], 'hot')).toEqual(['warm']);
  });

  it('goes straight from cold to hot', () => {
    expect(walk([85])).toEqual(['hot']);
  });

  it('keeps a level earned even when the kinds of signal have gone', () => {
    expect(getLevel(60, levels, 0, 'warm')).toBe('warm');
    expect(getLevel(60, levels, 0, 'cold')).toBe('cold');
  });

  it('keeps a warm visitor warm day by day while the score decays towards the exit', () => {
    const events = [...read(0, 200), ...read(0, 200), ...view('pricing', 0), ...view('pricing', 0), ...view('docs', 0)];
    const profile = profileOf(events);
    let previous: IntentLevel = 'cold';
    const days: [number, IntentLevel][] = [];
    for (let day = 0; day < 40; day += 3) {
      const intent = scoreProfile(profile, DEFAULT_MODEL, noon(day), previous);
      expect(intent.previous).toBe(previous);
      previous = intent.level;
      days.push([intent.score, intent.level]);
    }
    // 55 points decaying: warm while the score is above 40, and never back up.
    expect(days.slice(0, 7)).toEqual([
      [55, 'warm'],
      [51, 'warm'],
      [48, 'warm'],
      [45, 'warm'],
      [42, 'warm'],
      [39, 'cold'],
      [36, 'cold'],
    ]);
  });
});

describe('reasons', () => {
  it('fills templates with counts, "once" / "twice", minutes, ordinals and plurals', () => {
    expect(renderReason('read {n} article{|s} ({m} min)', 1, 4, 0)).toBe('read 1 article (4 min)');
    expect(renderReason('read {n} article{|s} ({m} min)', 3, 11, 0)).toBe('read 3 articles (11 min)');
    expect([1, 2, 3, 7].map((n) => renderReason('viewed pricing {x}', n, 0, 0))).toEqual([
      'viewed pricing once',
      'viewed pricing twice',
      'viewed pricing 3 times',
      'viewed pricing 7 times',
    ]);
    expect([1, 2].map((n) => renderReason('viewed {n} case stud{y|ies}', n, 0, 0))).toEqual([
      'viewed 1 case study',
      'viewed 2 case studies',
    ]);
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111].map((w) => renderReason('{w}', 0, 0, w))).toEqual([
      '1st',
      '2nd',
      '3rd',
      '4th',
      '11th',
      '12th',
      '13th',
      '21st',
      '22nd',
      '23rd',
      '101st',
      '111th',
    ]);
  });

  it('says "3rd visit this week" for visits in the last 7 days, and "came back within a week" for older returns', () => {
    const events = [visit(0, 1, null), visit(2, 2, 2), visit(5, 3, 3), ...view('docs', 5)];
    const profile = profileOf(events);
    expect(scoreProfile(profile, DEFAULT_MODEL, noon(5)).reasons).toContain('3rd visit this week');
    // A week later only the day-5 visit is within 7 days: the two returns are older.
    expect(scoreProfile(profile, DEFAULT_MODEL, noon(11)).reasons).toContain('came back within a week twice');
  });

  it('gives at most 5 reasons, the largest contribution first, negative ones by their size', () => {
    const events = [
      visit(0, 1, null),
      ...read(0, 300),
      ...view('docs', 0),
      ...view('docs', 0),
      ...view('case-study', 0),
      ...view('comparison', 0),
      ...view('careers', 0),
      ...view('careers', 0),
      ...view('pricing', 0),
      visit(1, 2, 1),
      ...view('contact', 1),
    ];
    const intent = scoreProfile(profileOf(events), DEFAULT_MODEL, noon(1));
    // contact 20, careers -19.5, pricing 14.7, return 10, then case study and comparison tie at 9.8 (the model's
    // order breaks the tie), pages 8.8, reads 7.8, docs 7.8.
    expect(intent.reasons).toEqual([
      'visited the contact page once',
      'viewed 2 careers pages',
      'viewed pricing once',
      '2nd visit this week',
      'viewed 1 case study',
    ]);
  });

  it('names every conversion with its own reason', () => {
    const intent = scoreProfile(
      profileOf([track(0, 'trial_start'), track(0, 'demo_request'), track(1, 'demo_request')]),
      DEFAULT_MODEL,
      noon(1),
    );
    expect(intent.reasons).toEqual(['requested a demo', 'started a trial']);
  });

  it('gives the minutes of a read that is still open (no engagement sent yet)', () => {
    const [pageView, articleRead] = read(0, 0);
    const intent = scoreProfile(profileOf([pageView!, articleRead!]), DEFAULT_MODEL, noon(0));
    expect(intent.reasons[0]).toBe('read 1 article (2 min)');
  });

  it('leaves out a signal that has no template', () => {
    const model: Model = { ...DEFAULT_MODEL, reasons: { pricing_views: 'viewed pricing {x}' } };
    expect(scoreProfile(profileOf([...view('pricing', 0), ...view('docs', 0)]), model, noon(0)).reasons).toEqual(['viewed pricing once']);
  });
});

describe('logistic models', () => {
  const model: LogisticModel = {
    ...DEFAULT_MODEL,
    kind: 'logistic',
    version: 'calibrated-test',
    levels: { ...DEFAULT_MODEL.levels, minKinds: 0 },
    intercept: -2,
    weights: { pricing_views: 1.5, careers_views: -1, article_minutes: 0.5, days_since_last_seen: -0.2 },
  };

  it('scores 100 / (1 + e^-(intercept + Σ weight × ln(1 + feature)))', () => {
    const profile = profileOf([...view('pricing', 0), ...view('article', 0, 180)]);
    const z = -2 + 1.5 * Math.log1p(1) + 0.5 * Math.log1p(3) - 0.2 * Math.log1p(0);
    expect(scoreProfile(profile, model, noon(0))).toEqual({
      score: Math.round(100 / (1 + Math.exp(-z))),
      level: 'cold',
      previous: 'cold',
      reasons: ['viewed pricing once'],
      model: 'calibrated-test',
      topics: [],
    });
    expect(scoreProfile(profile, model, noon(0)).score).toBe(43);
  });

  it('uses the same levels with hysteresis', () => {
    const profile = profileOf([...view('pricing', 0), ...view('pricing', 0), ...view('pricing', 0)]);
    // z = -2 + 1.5 ln 4 = 0.079 -> 52
    expect(scoreProfile(profile, model, noon(0))).toMatchObject({ score: 52, level: 'warm' });
    // Two days later (decay and days_since_last_seen) the score dips below 50 but stays warm.
    const later = scoreProfile(profile, model, noon(2), 'warm');
    expect(later.score).toBeLessThan(50);
    expect(later.level).toBe('warm');
    expect(scoreProfile(profile, model, noon(2), 'cold').level).toBe('cold');
  });

  it('orders reasons by the size of their term, negative ones included', () => {
    const profile = profileOf([...view('pricing', 0), ...Array.from({ length: 6 }, () => view('careers', 0)).flat()]);
    expect(scoreProfile(profile, model, noon(0)).reasons).toEqual(['viewed 6 careers pages', 'viewed pricing once']);
  });
});

describe('explainProfile', () => {
  it('gives each reason the points its signal adds, and they sum to the score', () => {
    const events = [visit(0, 1, null), ...read(0, 200), ...view('pricing', 0), visit(2, 2, 2), ...view('pricing', 2), ...read(2, 200)];
    const profile = profileOf(events);
    const explained = explainProfile(profile, DEFAULT_MODEL, noon(2));
    const intent = scoreProfile(profile, DEFAULT_MODEL, noon(2));
    expect(explained.score).toBe(intent.score);
    expect(explained.reasons.map((r) => r.reason).slice(0, 5)).toEqual(intent.reasons);
    const pricing = explained.reasons.find((r) => r.reason === 'viewed pricing twice');
    // 15 points a view, the first one decayed by two days of the 30-day half-life.
    expect(pricing?.weight).toBeCloseTo(15 + 15 * 2 ** (-2 / 30), 6);
    // With the points of the one signal that has no reason of its own: two visits, a point each.
    expect(Math.round(explained.reasons.reduce((sum, r) => sum + r.weight, 0) + 2)).toBe(intent.score);
  });
});
