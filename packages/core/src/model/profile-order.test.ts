// The receiver keeps a profile per lead and folds only the events stored since, in whatever order they arrive: that
// is exact only if folding is order-independent and a profile folded in parts equals one fold of the whole. These
// properties are checked on random event sets, with a seeded generator so a failure replays.
import { describe, expect, it } from 'vitest';
import { makeEvent } from '../../test/events.js';
import type { AnyEvent, EventType, PageKind } from '../wire.js';
import { DEFAULT_MODEL } from './default-model.js';
import { DAY_MS } from '../time.js';
import { HORIZON_DAYS } from './horizon.js';
import { applyEvent, createProfile } from './profile.js';
import type { Profile } from './types.js';

/** mulberry32: a small seeded generator, so every run draws the same cases. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const T0 = Date.parse('2025-03-03T00:00:00Z');
const KINDS: PageKind[] = ['article', 'pricing', 'docs', 'careers', 'other'];
// Events that add to a bucket and events that add nothing (an identify, a track that is not a conversion, an
// engagement without attentive time): both kinds must leave the same profile whatever their order.
const TYPES: EventType[] = ['page_view', 'page_engagement', 'article_read', 'visit_start', 'track', 'identify', 'forget'];

function randomEvent(random: () => number, spanDays: number): AnyEvent {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const type = pick(TYPES);
  const kind = pick(KINDS);
  const ts = new Date(T0 + Math.floor(random() * spanDays * DAY_MS)).toISOString();
  const event = makeEvent(type, { ts, page: { path: `/${kind}`, kind } }) as AnyEvent;
  const props = event.props as Record<string, unknown>;
  if (type === 'page_engagement' || type === 'article_read') props['attentiveMs'] = pick([0, 400, 1500, 61_000]);
  if (type === 'track') props['name'] = pick(['demo_request', 'newsletter_signup']);
  if (type === 'visit_start') props['visit'] = pick([1, 2, 5]);
  return event;
}

function fold(profile: Profile, events: readonly AnyEvent[]): Profile {
  for (const event of events) applyEvent(profile, event, DEFAULT_MODEL);
  return profile;
}

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('applyEvent order independence', () => {
  it('folds random event sets to the same profile whatever their order and however they are split', () => {
    const random = createRandom(0x1eed);
    for (let round = 0; round < 400; round++) {
      // Spans shorter and longer than the horizon, so old events are dropped in some rounds.
      const spanDays = [3, 60, HORIZON_DAYS + 40, HORIZON_DAYS * 3][round % 4]!;
      const events = Array.from({ length: 1 + Math.floor(random() * 60) }, () => randomEvent(random, spanDays));
      const sorted = [...events].sort((a, b) => Date.parse(a.ts) - Date.parse(b.ts));
      const whole = fold(createProfile(), sorted);

      // A snapshot of a prefix (stored as JSON), then the rest in another order, as the receiver does.
      const shuffled = shuffle(events, random);
      const split = Math.floor(random() * (shuffled.length + 1));
      const snapshot = JSON.parse(JSON.stringify(fold(createProfile(), shuffled.slice(0, split)))) as Profile;
      const resumed = fold(snapshot, shuffle(shuffled.slice(split), random));
      expect(resumed, `round ${round}, split at ${split} of ${events.length}`).toEqual(whole);
    }
  });

  it('ignores an event that adds nothing when deciding which old days to drop', () => {
    const old = makeEvent('page_view', { ts: new Date(T0).toISOString() }) as AnyEvent;
    const recent = makeEvent('page_view', { ts: new Date(T0 + 10 * DAY_MS).toISOString() }) as AnyEvent;
    // An identify far ahead adds no bucket: it must not drop the old day, in either order.
    const ahead = makeEvent('identify', { ts: new Date(T0 + (HORIZON_DAYS + 5) * DAY_MS).toISOString() }) as AnyEvent;
    expect(fold(createProfile(), [old, recent, ahead])).toEqual(fold(createProfile(), [recent, ahead, old]));
    expect(Object.keys(fold(createProfile(), [recent, ahead, old]).d)).toHaveLength(2);
  });
});
