// Generated visitor populations at the level of events, for judging the default intent model and calibrate on
// data shaped like real sites: what the browser would have sent, folded into profiles by core's own code.
import { applyEvent, createProfile, DEFAULT_MODEL, getFeatures, getRawScore, scoreProfile } from '@inkling/core';
import type { AnyEvent, FeatureName, Model, Profile } from '@inkling/core';
import { createRandom } from '../src/calibrate/folds.js';
import { poisson } from './calibrate/generate.js';

const DAY_MS = 864e5;
/** Populations are scored as of this time: a fixed date, so every run makes the same profiles. */
export const AS_OF_MS = Date.parse('2026-06-01T00:00:00Z');

/** Where a visit came from, as the browser reports it on `visit_start`. */
const SOURCES = [
  { referrer: 'https://www.google.com/', utm: undefined, touch: { source: 'www.google.com', medium: 'organic' } },
  { referrer: 'https://www.linkedin.com/', utm: undefined, touch: { source: 'www.linkedin.com', medium: 'referral' } },
  { referrer: undefined, utm: { source: 'newsletter', medium: 'email' }, touch: { source: 'newsletter', medium: 'email' } },
  { referrer: 'https://www.google.com/', utm: { source: 'google', medium: 'cpc' }, touch: { source: 'google', medium: 'cpc' } },
  { referrer: 'https://partner.example.net/blog', utm: undefined, touch: { source: 'partner.example.net', medium: 'referral' } },
  { referrer: undefined, utm: undefined, touch: { source: '(direct)', medium: '(none)' } },
] as const;

/** One generated visitor: the events the browser sent, and whether the visitor converted afterwards. */
export interface PopulationVisitor {
  events: AnyEvent[];
  converted: boolean;
}

/** The shape of a population. */
export interface PopulationOptions {
  /** Visitors to make. @default 3000 */
  rows?: number;
  /** @default 1 */
  seed?: number;
}

function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

interface Session {
  day: number;
  source: number;
  pages: { kind: string; seconds: number; scroll: number }[];
}

function toEvents(visitor: string, sessions: Session[]): AnyEvent[] {
  const events: AnyEvent[] = [];
  let previous: number | undefined;
  sessions.forEach((session, n) => {
    const start = AS_OF_MS - session.day * DAY_MS - 10 * 3600e3;
    const base = { visitor, session: `${visitor}-${n}` };
    const source = SOURCES[session.source]!;
    const touch = { ...source.touch };
    events.push({
      ...base,
      id: `${visitor}-${n}-v`,
      type: 'visit_start',
      ts: new Date(start).toISOString(),
      page: { path: '/', kind: 'other', ...(source.referrer ? { referrer: source.referrer } : {}) },
      props: {
        visit: n + 1,
        daysSinceLast: previous === undefined ? null : previous - session.day,
        ...(source.referrer ? { referrer: source.referrer } : {}),
        ...(source.utm ? { utm: { ...source.utm } } : {}),
        firstTouch: touch,
        lastTouch: touch,
        idSource: 'stored',
      },
    });
    previous = session.day;
    session.pages.forEach((page, i) => {
      const ts = new Date(start + (i + 1) * 60e3).toISOString();
      const info = { path: `/${page.kind}/${i}`, kind: page.kind };
      const pageViewId = `${visitor}-${n}-${i}`;
      events.push({ ...base, id: pageViewId, type: 'page_view', ts, page: info, props: { nav: 'load' } });
      const attentiveMs = page.seconds * 1000;
      if (page.kind === 'article' && page.seconds >= 60 && page.scroll > 0.6) {
        const props = {
          pageViewId,
          words: 1200,
          expectedMs: 300_000,
          attentiveMs,
          readRatio: attentiveMs / 300_000,
          scrollDepth: page.scroll,
        };
        events.push({ ...base, id: pageViewId + 'r', type: 'article_read', ts, page: info, props });
      }
      const props = { pageViewId, engagedMs: Math.round(attentiveMs / 2), attentiveMs, scrollDepth: page.scroll };
      events.push({ ...base, id: pageViewId + 'e', type: 'page_engagement', ts, page: info, props });
    });
  });
  return events;
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/**
 * An e-commerce session log: most visitors come once, pages per visit are heavy-tailed (a lognormal around 8,
 * some visits past 100 product pages, a fifth of visits bounce), nearly every page is a product page (a kind the
 * default model has no points for) with a few articles. Conversion depends noisily on minutes and product
 * pages, less on a bounce-heavy history, a little on the traffic source; about 15% convert.
 */
export function generateShop(options: PopulationOptions = {}): PopulationVisitor[] {
  const { rows = 3000, seed = 1 } = options;
  const random = createRandom(seed);
  const visitors: PopulationVisitor[] = [];
  for (let v = 0; v < rows; v++) {
    const engagement = normal(random);
    const count = 1 + Math.min(15, poisson(random, 0.5 * Math.exp(0.6 * engagement)));
    let day = Math.floor(random() * 20);
    const sessions: Session[] = [];
    for (let s = 0; s < count; s++) {
      const bounce = random() < 0.2;
      const size = bounce ? 1 : Math.max(2, Math.round(Math.exp(Math.log(8) + 0.35 * engagement + 1.1 * normal(random))));
      const pages = Array.from({ length: Math.min(size, 400) }, () => {
        const r = random();
        const kind = r < 0.85 ? 'product' : r < 0.95 ? 'other' : 'article';
        return {
          kind,
          seconds: Math.round(Math.exp(Math.log(bounce ? 8 : 25) + 0.2 * engagement + 0.9 * normal(random))),
          scroll: Math.min(1, random() * 1.3),
        };
      });
      sessions.unshift({ day, source: Math.floor(random() * SOURCES.length), pages });
      day += 1 + Math.floor(-Math.log(1 - random()) * 6);
    }
    const minutes = sessions.reduce((m, s) => m + s.pages.reduce((a, p) => a + p.seconds, 0), 0) / 60;
    const pages = sessions.reduce((m, s) => m + s.pages.length, 0);
    const bounces = sessions.filter((s) => s.pages.length === 1).length;
    const paid = sessions.filter((s) => s.source === 2 || s.source === 3).length;
    const z =
      -3.9 +
      0.45 * Math.log1p(minutes) +
      0.3 * Math.log1p(pages) -
      0.6 * (bounces / count) +
      0.3 * Math.min(1, paid) +
      0.9 * normal(random);
    visitors.push({ events: toEvents(`shop${v}`, sessions), converted: random() < sigmoid(z) });
  }
  return visitors;
}

/**
 * A B2B lead list where the pages carry no kinds: only visits, pages and minutes. Visits and minutes are
 * heavy-tailed; conversion depends mostly on minutes, then on coming back, with as much noise again; about 38%
 * convert (leads that reached sales).
 */
export function generateLeads(options: PopulationOptions = {}): PopulationVisitor[] {
  const { rows = 3000, seed = 1 } = options;
  const random = createRandom(seed);
  const visitors: PopulationVisitor[] = [];
  for (let v = 0; v < rows; v++) {
    const engagement = normal(random);
    const count = 1 + Math.min(25, poisson(random, 1.6 * Math.exp(0.5 * engagement)));
    let day = Math.floor(random() * 10);
    const sessions: Session[] = [];
    for (let s = 0; s < count; s++) {
      const size = Math.max(1, Math.round(Math.exp(Math.log(2.2) + 0.7 * normal(random))));
      const pages = Array.from({ length: size }, () => ({
        kind: 'other',
        seconds: Math.round(Math.exp(Math.log(40) + 0.5 * engagement + 1.2 * normal(random))),
        scroll: Math.min(1, random() * 1.3),
      }));
      sessions.unshift({ day, source: Math.floor(random() * SOURCES.length), pages });
      day += 1 + Math.floor(-Math.log(1 - random()) * 8);
    }
    const minutes = sessions.reduce((m, s) => m + s.pages.reduce((a, p) => a + p.seconds, 0), 0) / 60;
    const z = -2.6 + 0.8 * Math.log1p(minutes) + 0.25 * Math.log1p(count - 1) - 0.3 * (day > 60 ? 1 : 0) + 1.2 * normal(random);
    visitors.push({ events: toEvents(`lead${v}`, sessions), converted: random() < sigmoid(z) });
  }
  return visitors;
}

/** A visitor's profile, built from its events by core's own `applyEvent`. */
export function getProfile(visitor: PopulationVisitor, model: Model = DEFAULT_MODEL): Profile {
  const profile = createProfile();
  for (const event of visitor.events) applyEvent(profile, event, model);
  return profile;
}

/** How a model does on a population, scored from the profiles as the receiver scores them. */
export interface PopulationResult {
  /** Rows and the share that converted. */
  rows: number;
  rate: number;
  /** Displayed scores and raw scores (the raw keep ordering above 100). */
  scores: number[];
  raw: number[];
  levels: string[];
  labels: (0 | 1)[];
}

export function scorePopulation(visitors: readonly PopulationVisitor[], model: Model = DEFAULT_MODEL): PopulationResult {
  const result: PopulationResult = { rows: visitors.length, rate: 0, scores: [], raw: [], levels: [], labels: [] };
  for (const visitor of visitors) {
    const profile = getProfile(visitor, model);
    const intent = scoreProfile(profile, model, AS_OF_MS);
    result.scores.push(intent.score);
    result.raw.push(getRawScore(profile, model, AS_OF_MS));
    result.levels.push(intent.level);
    result.labels.push(visitor.converted ? 1 : 0);
  }
  result.rate = result.labels.reduce<number>((a, b) => a + b, 0) / visitors.length;
  return result;
}

/** The population as a calibrate CSV: `getFeatures` as of {@link AS_OF_MS}, limited to `columns`. */
export function toPopulationCsv(visitors: readonly PopulationVisitor[], columns: readonly FeatureName[]): string {
  const lines = visitors.map((visitor, i) => {
    const features = getFeatures(getProfile(visitor), DEFAULT_MODEL, AS_OF_MS);
    return [`p${i + 1}`, visitor.converted ? 'true' : 'false', ...columns.map((c) => String(Math.round(features[c] * 1000) / 1000))].join(
      ',',
    );
  });
  return [['visitor', 'converted', ...columns].join(','), ...lines].join('\n') + '\n';
}
