import { describe, expect, it } from 'vitest';
import { makeEvent } from '../../test/events.js';
import type { AnyEvent, PageKind } from '../wire.js';
import { DEFAULT_MODEL } from './default-model.js';
import { DAY_MS } from '../time.js';
import { HORIZON_DAYS } from './horizon.js';
import { applyEvent, createProfile } from './profile.js';
import { scoreProfile } from './score.js';
import type { Model } from './types.js';

const T0 = Date.parse('2025-03-03T00:00:00Z');
const DAY0 = T0 / DAY_MS;
const at = (day: number, hour = 10): string => new Date(T0 + day * DAY_MS + hour * 3600e3).toISOString();
const page = (kind: PageKind) => ({ path: `/${kind}`, kind });
// The pages-in-this-visit key of makeEvent's session, s_0123456789abcdef.
const VISIT = 's:89abcdef';

function view(kind: PageKind, day: number, attentiveS = 0): AnyEvent[] {
  const events: AnyEvent[] = [makeEvent('page_view', { ts: at(day), page: page(kind) })];
  if (attentiveS) {
    const props = {
      pageViewId: '0193a4f2-5c1e-7b3a-9f4e-1c2d3e4f5a6b',
      engagedMs: attentiveS * 500,
      attentiveMs: attentiveS * 1000,
      scrollDepth: 0.9,
    };
    events.push(makeEvent('page_engagement', { ts: at(day, 11), page: page(kind), props }));
  }
  return events;
}

const build = (events: AnyEvent[], model?: Model) => {
  const profile = createProfile();
  for (const e of events) applyEvent(profile, e, model);
  return profile;
};

describe('applyEvent', () => {
  it('counts page views and attentive seconds by kind in UTC day buckets', () => {
    const profile = build([...view('pricing', 0, 42.4), ...view('pricing', 0), ...view('article', 1, 90)]);
    expect(profile).toEqual({
      v: 1,
      d: {
        [DAY0]: { 'p:pricing': 2, [VISIT]: 2, 't:pricing': 42 },
        // An article's engagement also records its engaged seconds, scroll depth in percent, and one more to average over.
        [DAY0 + 1]: { 'p:article': 1, [VISIT]: 1, 't:article': 90, e: 45, d: 90, a: 1 },
      },
    });
  });

  it('counts the pages of each visit, so a one-page visit is a bounce', () => {
    const other = makeEvent('page_view', { ts: at(0), session: 's_another-visit' });
    expect(build([...view('pricing', 0), ...view('docs', 0), other]).d[DAY0]).toEqual({
      'p:pricing': 1,
      'p:docs': 1,
      'p:article': 1,
      [VISIT]: 2,
      's:er-visit': 1,
    });
  });

  it('splits days at UTC midnight, not at the local one', () => {
    const profile = build([
      makeEvent('page_view', { ts: '2025-03-03T23:59:59.999Z' }),
      makeEvent('page_view', { ts: '2025-03-04T00:00:00.000Z' }),
    ]);
    expect(Object.keys(profile.d)).toEqual([String(DAY0), String(DAY0 + 1)]);
  });

  it('counts qualified reads with their attentive seconds', () => {
    const profile = build([makeEvent('article_read', { ts: at(0) })]);
    expect(profile.d[DAY0]).toEqual({ r: 1, q: 110 });
  });

  it('counts a return visit only for a known visitor back within 7 days', () => {
    const visit = (visit: number, daysSinceLast: number | null) =>
      makeEvent('visit_start', { ts: at(0), props: { ...makeEvent('visit_start').props, visit, daysSinceLast } });
    // Each visit also records its source class (makeEvent's is a newsletter: email) and, when known, the days since
    // the one before (n returns, y days, for the average).
    expect(build([visit(1, null)]).d[DAY0]).toEqual({ v: 1, 'f:email': 1 });
    expect(build([visit(2, 7)]).d[DAY0]).toEqual({ v: 1, w: 1, 'f:email': 1, n: 1, y: 7 });
    expect(build([visit(2, 8)]).d[DAY0]).toEqual({ v: 1, 'f:email': 1, n: 1, y: 8 });
    expect(build([visit(5, 0)]).d[DAY0]).toEqual({ v: 1, w: 1, 'f:email': 1, n: 1 });
  });

  it("counts only the model's conversions among track events", () => {
    const track = (name: string) => makeEvent('track', { ts: at(0), props: { name } });
    expect(build([track('demo_request'), track('newsletter_open'), track('demo_request')]).d[DAY0]).toEqual({ 'c:demo_request': 2 });
    const model: Model = { ...DEFAULT_MODEL, conversions: { webinar_signup: 'signed up for a webinar' } };
    expect(build([track('demo_request'), track('webinar_signup')], model).d[DAY0]).toEqual({ 'c:webinar_signup': 1 });
    // Inherited object keys are not conversions.
    expect(build([track('constructor'), track('toString')]).d).toEqual({});
  });

  it('ignores intent, forget and identify events: a client score is never trusted', () => {
    const intent = makeEvent('intent', {
      ts: at(0),
      props: { score: 99, level: 'hot', previous: 'warm', reasons: ['requested a demo'], model: 'forged' },
    });
    const profile = build([intent, makeEvent('forget', { ts: at(0) }), makeEvent('identify', { ts: at(0) })]);
    expect(profile.d).toEqual({});
    expect(scoreProfile(profile, DEFAULT_MODEL, T0)).toMatchObject({ score: 0, level: 'cold', reasons: [] });
  });

  it("records a site's own page kind only when the model gives it points", () => {
    const webinar = view('webinar', 0);
    expect(build(webinar).d[DAY0]).toEqual({ 'p:other': 1, [VISIT]: 1 });
    const model: Model = { ...DEFAULT_MODEL, points: { ...DEFAULT_MODEL.points, webinar_views: [12, 24] } };
    expect(build(webinar, model).d[DAY0]).toEqual({ 'p:webinar': 1, [VISIT]: 1 });
    // `page` would be counted twice in `page_views`.
    expect(build(view('page', 0), { ...model, points: { ...model.points, page_views: [1, 10] } }).d[DAY0]).toEqual({
      'p:other': 1,
      [VISIT]: 1,
    });
  });

  it('ignores an event with an unparseable timestamp', () => {
    expect(build([makeEvent('page_view', { ts: 'yesterday' })]).d).toEqual({});
  });

  it('drops days more than the horizon before the newest event, whichever arrives first', () => {
    const old = view('pricing', 0);
    const recent = view('docs', HORIZON_DAYS + 1);
    const expected = { v: 1, d: { [DAY0 + HORIZON_DAYS + 1]: { 'p:docs': 1, [VISIT]: 1 } } };
    expect(build([...old, ...recent])).toEqual(expected);
    expect(build([...recent, ...old])).toEqual(expected);
    // Exactly the horizon apart is dropped too; one day less is kept.
    expect(Object.keys(build([...view('pricing', 1), ...recent]).d)).toHaveLength(1);
    expect(Object.keys(build([...view('pricing', 2), ...recent]).d)).toHaveLength(2);
  });

  it('builds the same profile and score from events in any order', () => {
    const events: AnyEvent[] = [
      makeEvent('visit_start', { ts: at(0), props: { ...makeEvent('visit_start').props, visit: 1, daysSinceLast: null } }),
      ...view('article', 0, 200),
      makeEvent('article_read', { ts: at(0, 12) }),
      ...view('pricing', 0, 33),
      ...view('pricing', 2, 51),
      makeEvent('visit_start', { ts: at(2), props: { ...makeEvent('visit_start').props, visit: 2, daysSinceLast: 2 } }),
      ...view('careers', 3, 120),
      ...view('docs', 5, 300),
      ...view('case-study', 9, 80),
      makeEvent('track', { ts: at(9, 15), props: { name: 'demo_request' } }),
    ];
    const reference = build(events);
    const now = T0 + 12 * DAY_MS;
    const expected = scoreProfile(reference, DEFAULT_MODEL, now);
    // A seeded shuffle (Park-Miller), so a failure can be replayed.
    let seed = 7;
    for (let round = 0; round < 25; round++) {
      const shuffled = [...events];
      for (let i = shuffled.length - 1; i > 0; i--) {
        seed = (seed * 48271) % 2147483647;
        const j = seed % (i + 1);
        [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
      }
      const profile = build(shuffled);
      expect(profile).toEqual(reference);
      expect(scoreProfile(profile, DEFAULT_MODEL, now)).toEqual(expected);
      expect(scoreProfile(JSON.parse(JSON.stringify(profile)), DEFAULT_MODEL, now)).toEqual(expected);
    }
  });
});
