// Valid events of every type, for tests across the packages.
import { uuidv7 } from '../src/uuid.js';
import type { AnyEvent, Batch, EventPropsMap, EventType, InklingEvent } from '../src/wire.js';

const PROPS: EventPropsMap = {
  page_view: { nav: 'load' },
  page_engagement: { pageViewId: '0193a4f2-5c1e-7b3a-9f4e-1c2d3e4f5a6b', engagedMs: 42000, attentiveMs: 90000, scrollDepth: 0.8 },
  article_read: {
    pageViewId: '0193a4f2-5c1e-7b3a-9f4e-1c2d3e4f5a6b',
    words: 1200,
    expectedMs: 302521,
    attentiveMs: 110000,
    readRatio: 0.36,
    scrollDepth: 1,
  },
  visit_start: {
    visit: 2,
    daysSinceLast: 3,
    referrer: 'https://news.example.org/',
    utm: { source: 'newsletter', medium: 'email' },
    firstTouch: { source: 'google.com', medium: 'referral' },
    lastTouch: { source: 'newsletter', medium: 'email' },
    idSource: 'stored',
  },
  track: { name: 'demo_request', plan: 'team', seats: 12 },
  identify: { userId: 'lead-42', traits: { company: 'Acme' } },
  group: { accountId: 'northwind', traits: { name: 'Northwind Traders', plan: 'team' } },
  intent: { score: 62, level: 'warm', previous: 'cold', reasons: ['read 3 articles (11 min)'], model: 'default@1' },
  forget: {},
};

export function makeEvent<T extends EventType>(type: T, overrides: Partial<InklingEvent<T>> = {}): InklingEvent<T> {
  return {
    id: uuidv7(),
    type,
    ts: new Date().toISOString(),
    visitor: 'v_0123456789abcdef',
    session: 's_0123456789abcdef',
    page: { path: '/blog/why-research-matters', title: 'Why research matters', kind: 'article' },
    props: structuredClone(PROPS[type]),
    ...overrides,
  };
}

export function makeBatch(events: AnyEvent[] = (Object.keys(PROPS) as EventType[]).map((t) => makeEvent(t) as AnyEvent)): Batch {
  return { v: 1, site: 'example.com', sentAt: new Date().toISOString(), events };
}
