import { describe, expect, it } from 'vitest';
import { makeEvent } from '../../test/events.js';
import type { AnyEvent } from '../wire.js';
import { DEFAULT_MODEL } from './default-model.js';
import { FEATURE_NAMES, RECORDED_KINDS } from './feature-names.js';
import { getFeatures } from './features.js';
import { DAY_MS } from '../time.js';
import { HORIZON_DAYS } from './horizon.js';
import { applyEvent, createProfile } from './profile.js';

const T0 = Date.parse('2025-03-03T00:00:00Z');
const at = (day: number): string => new Date(T0 + day * DAY_MS + 10 * 3600e3).toISOString();
const engagement = (attentiveMs: number) => ({
  pageViewId: '0193a4f2-5c1e-7b3a-9f4e-1c2d3e4f5a6b',
  engagedMs: 1000,
  attentiveMs,
  scrollDepth: 1,
});

describe('getFeatures', () => {
  it('gives every documented feature, decayed by day', () => {
    const events: AnyEvent[] = [
      makeEvent('visit_start', { ts: at(0), props: { ...makeEvent('visit_start').props, visit: 1, daysSinceLast: null } }),
      makeEvent('page_view', { ts: at(0), page: { path: '/blog/a', kind: 'article' } }),
      makeEvent('article_read', { ts: at(0) }),
      makeEvent('page_engagement', { ts: at(0), page: { path: '/blog/a', kind: 'article' }, props: engagement(240_000) }),
      makeEvent('page_view', { ts: at(0), page: { path: '/careers', kind: 'careers' } }),
      makeEvent('visit_start', { ts: at(30), props: { ...makeEvent('visit_start').props, visit: 2, daysSinceLast: 5 } }),
      makeEvent('page_view', { ts: at(30), page: { path: '/pricing', kind: 'pricing' } }),
      makeEvent('page_engagement', { ts: at(30), page: { path: '/pricing', kind: 'pricing' }, props: engagement(60_000) }),
      makeEvent('page_view', { ts: at(30), page: { path: '/customers/acme', kind: 'case-study' } }),
      makeEvent('track', { ts: at(30), props: { name: 'demo_request' } }),
      // A third visit, from search, the same day: one page, so a bounce.
      makeEvent('visit_start', {
        ts: at(30),
        session: 's_bounce',
        props: {
          ...makeEvent('visit_start').props,
          visit: 3,
          daysSinceLast: 0,
          lastTouch: { source: 'www.google.com', medium: 'organic' },
        },
      }),
      makeEvent('page_view', { ts: at(30), session: 's_bounce', page: { path: '/', kind: 'other' } }),
    ];
    const profile = createProfile();
    for (const e of events) applyEvent(profile, e);
    const features = getFeatures(profile, DEFAULT_MODEL, T0 + 32 * DAY_MS);
    const old = 2 ** (-32 / 30);
    const recent = 2 ** (-2 / 30);
    expect(Object.keys(features)).toEqual([...FEATURE_NAMES]);
    const expected = {
      page_views: 2 * old + 3 * recent,
      article_views: old,
      article_reads: old,
      article_minutes: 4 * old,
      pricing_views: recent,
      docs_views: 0,
      case_study_views: recent,
      comparison_views: 0,
      contact_views: 0,
      careers_views: old,
      page_minutes: 4 * old + recent,
      other_minutes: 0,
      visits: old + 2 * recent,
      return_visits: 2 * recent,
      days_active: old + recent,
      conversions: recent,
      days_since_last_seen: 2,
      bounces: recent,
      pages_per_visit: (2 * old + 3 * recent) / (old + 2 * recent),
      // engagedMs 1000 on the article: 1 second.
      article_engaged_minutes: old / 60,
      article_scroll_depth: 1,
      search_visits: recent,
      social_visits: 0,
      // The two visits from the newsletter (utm_medium=email).
      email_visits: old + recent,
      paid_visits: 0,
      referral_visits: 0,
      direct_visits: 0,
      // Gaps of 5 and 0 days, both recent.
      days_between_visits: 2.5,
    };
    for (const name of FEATURE_NAMES) expect([name, features[name]]).toEqual([name, expect.closeTo(expected[name], 12)]);
  });

  it('averages scroll depth over article pages, pages over visits, and days over return visits, decayed', () => {
    const events: AnyEvent[] = [
      makeEvent('visit_start', { ts: at(0), props: { ...makeEvent('visit_start').props, visit: 4, daysSinceLast: 12 } }),
      makeEvent('page_engagement', {
        ts: at(0),
        page: { path: '/blog/a', kind: 'article' },
        props: { ...engagement(1000), scrollDepth: 0.2 },
      }),
      makeEvent('page_engagement', {
        ts: at(0),
        page: { path: '/blog/b', kind: 'article' },
        props: { ...engagement(1000), scrollDepth: 0.9 },
      }),
      makeEvent('page_engagement', {
        ts: at(0),
        page: { path: '/pricing', kind: 'pricing' },
        props: { ...engagement(1000), scrollDepth: 0.1 },
      }),
    ];
    const profile = createProfile();
    for (const e of events) applyEvent(profile, e);
    const features = getFeatures(profile, DEFAULT_MODEL, T0 + 10 * DAY_MS);
    // Pricing's scroll is not an article's.
    expect(features.article_scroll_depth).toBeCloseTo(0.55, 12);
    expect(features.days_between_visits).toBeCloseTo(12, 12);
    expect(features.pages_per_visit).toBe(0);
    expect(getFeatures(createProfile(), DEFAULT_MODEL, T0)).toMatchObject({
      article_scroll_depth: 0,
      pages_per_visit: 0,
      days_between_visits: 0,
      bounces: 0,
    });
  });

  it('records exactly the page kinds that have a <kind>_views feature', () => {
    const kinds = FEATURE_NAMES.filter((f) => f.endsWith('_views') && f != 'page_views').map((f) => f.slice(0, -6).replace(/_/g, '-'));
    expect(kinds).toHaveLength(7);
    for (const kind of kinds) expect(RECORDED_KINDS.test(kind), kind).toBe(true);
    for (const kind of ['other', 'page', 'webinar', 'articles', 'case_study']) expect(RECORDED_KINDS.test(kind), kind).toBe(false);
  });

  it('reports a visitor never seen (or not within the horizon) as 180 days idle with zero counts', () => {
    const profile = createProfile();
    applyEvent(profile, makeEvent('page_view', { ts: at(0) }));
    const features = getFeatures(profile, DEFAULT_MODEL, T0 + HORIZON_DAYS * DAY_MS);
    expect(features.days_since_last_seen).toBe(HORIZON_DAYS);
    expect(features.page_views).toBe(0);
    expect(getFeatures(createProfile(), DEFAULT_MODEL, T0).days_since_last_seen).toBe(HORIZON_DAYS);
  });
});
