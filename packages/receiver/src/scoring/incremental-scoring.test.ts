// Scoring folds only the events stored since a lead's profile snapshot: its cost follows the batch, not the lead's
// history, and the snapshot always equals a fold of every event the lead has, whatever happened in between (late
// events, merges, erasures, retention, another model).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createProfile, DEFAULT_MODEL } from '@inkling/core';
import type { AnyEvent, Model } from '@inkling/core';
import { DAY_MS, SITE, collect, createClock, createTestReceiver, eventAt } from '../../test/helpers.js';
import type { TestClock } from '../../test/helpers.js';
import { STORES } from '../../test/stores.js';
import type { Receiver, ReceiverOptions, Store } from '../index.js';
import type { InsertBatch } from '../internals.js';
import { EVENTS_PER_SLICE } from './fold-lead.js';
import { foldEvents, getModelKey } from './score-events.js';

const KINDS = ['article', 'pricing', 'docs', 'careers', 'other'] as const;

/** Page views of `visitor`, one every `stepMs` back from `agoMs` before `now`, over the site's kinds. */
function views(visitor: string, now: number, count: number, agoMs: number, stepMs: number): AnyEvent[] {
  return Array.from({ length: count }, (_, i) => {
    const kind = KINDS[i % KINDS.length]!;
    return eventAt('page_view', visitor, now, agoMs - i * stepMs, { page: { path: `/${kind}/${i}`, kind } });
  });
}

const identifyAt = (visitor: string, userId: string, now: number): AnyEvent =>
  eventAt('identify', visitor, now, 10_000, { props: { userId } });

function batch(events: AnyEvent[], now: number): InsertBatch {
  return {
    site: SITE,
    sentAt: new Date(now).toISOString(),
    receivedAt: now,
    bot: false,
    events: events.map((event) => ({ event, ts: Date.parse(event.ts), clamped: false })),
  };
}

/** The store, counting the events each scoring read handed out. */
function countReads(store: Store): Store & { read: number[] } {
  const read: number[] = [];
  const counted =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R[]>) =>
    async (...args: A) => {
      const events = await fn(...args);
      read.push(events.length);
      return events;
    };
  return {
    ...store,
    read,
    getLeadEvents: counted(store.getLeadEvents.bind(store)),
    getProfileEvents: counted(store.getProfileEvents.bind(store)),
  };
}

describe.each(STORES)('incremental scoring on $name', (kind) => {
  let store: Store;
  let receiver: Receiver | undefined;
  let clock: TestClock;

  beforeEach(async () => {
    clock = createClock();
    store = await kind.open();
  });

  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
    await store.close();
  });

  async function start(options: ReceiverOptions = {}): Promise<Store & { read: number[] }> {
    const counting = countReads(store);
    receiver = createTestReceiver({ store: counting, ...options }, clock);
    return counting;
  }

  async function leadOf(visitor: string): Promise<string> {
    const lead = (await store.listLeads({ limit: 100 })).find((l) => l.visitors.includes(visitor));
    return lead!.id;
  }

  /** The lead's snapshot, and what one fold of all its stored events gives. */
  async function snapshotAndFullFold(visitor: string, model: Model = DEFAULT_MODEL) {
    const id = await leadOf(visitor);
    const stored = await store.getLeadProfile(id);
    return { stored, full: foldEvents(createProfile(), await store.getLeadEvents(id), model) };
  }

  it('scores one more batch of a lead with a long history by reading only that batch', async () => {
    const history = views('v_long_000001', clock.now(), 3000, 30 * DAY_MS, 600_000);
    for (let i = 0; i < history.length; i += 500) await store.insertEvents(batch(history.slice(i, i + 500), clock.now()));
    const counting = await start();
    await receiver!.flush();
    // The 3,000 events stored before any scoring are worked through in slices.
    expect(Math.max(...counting.read)).toBeLessThanOrEqual(EVENTS_PER_SLICE);
    counting.read.length = 0;

    await collect(receiver!, views('v_long_000001', clock.now(), 3, 3000, 1000), clock.now());
    expect(counting.read.reduce((a, b) => a + b, 0)).toBe(3);
    const { stored, full } = await snapshotAndFullFold('v_long_000001');
    expect(stored).toMatchObject({ profile: full, pending: [], rebuild: null, model: getModelKey(DEFAULT_MODEL) });
  });

  it('keeps the snapshot equal to a full fold through late events, a merge, an erasure and retention', async () => {
    const counting = await start({ retentionDays: 60 });
    const now = clock.now();
    const check = async (visitor: string) => {
      await receiver!.flush();
      const { stored, full } = await snapshotAndFullFold(visitor);
      expect(stored?.profile).toEqual(full);
      expect(stored?.pending).toEqual([]);
    };
    await collect(receiver!, views('v_laptop_0001', now, 6, 3 * DAY_MS, 3600_000), now);
    await check('v_laptop_0001');
    // Late and out of order: older than everything folded, stored after it (straight into the store, past the
    // collector's clamp), some beyond the profile's 180-day horizon.
    await store.insertEvents(
      batch([...views('v_laptop_0001', now, 4, 50 * DAY_MS, 9 * DAY_MS), ...views('v_laptop_0001', now, 2, 200 * DAY_MS, DAY_MS)], now),
    );
    await check('v_laptop_0001');
    await collect(receiver!, [identifyAt('v_laptop_0001', 'ada', now), ...views('v_phone_00001', now, 5, 2 * DAY_MS, 3600_000)], now);
    await collect(receiver!, [identifyAt('v_phone_00001', 'ada', now)], now);
    expect((await store.getLead(await leadOf('v_laptop_0001')))?.visitors).toEqual(['v_laptop_0001', 'v_phone_00001']);
    await check('v_laptop_0001');
    await receiver!.erase(SITE, 'v_phone_00001');
    await check('v_laptop_0001');
    clock.advance(20 * DAY_MS);
    await receiver!.sweep();
    await check('v_laptop_0001');
    expect(counting.read.every((n) => n <= EVENTS_PER_SLICE)).toBe(true);
  });

  it('rebuilds every snapshot after a model change, in slices, and scores with the new model', async () => {
    const now = clock.now();
    const history = [
      ...views('v_long_000001', now, 1200, 20 * DAY_MS, 600_000),
      eventAt('track', 'v_long_000001', now, DAY_MS, { props: { name: 'newsletter_signup' } }),
    ];
    for (let i = 0; i < history.length; i += 500) await store.insertEvents(batch(history.slice(i, i + 500), now));
    await start();
    await receiver!.flush();
    await receiver!.close();

    const model: Model = {
      ...DEFAULT_MODEL,
      version: 'newsletters-1',
      conversions: { ...DEFAULT_MODEL.conversions, newsletter_signup: 'signed up for the newsletter' },
    };
    const counting = await start({ model });
    await receiver!.flush();
    // At least three slices of the 1,201 events, none larger than a slice.
    expect(counting.read.filter((n) => n > 0).length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...counting.read)).toBeLessThanOrEqual(EVENTS_PER_SLICE);
    const { stored, full } = await snapshotAndFullFold('v_long_000001', model);
    expect(stored).toMatchObject({ profile: full, model: getModelKey(model), rebuild: null, pending: [] });
    expect(Object.values(full.d).some((bucket) => bucket['c:newsletter_signup'] === 1)).toBe(true);
    const lead = await store.getLead(await leadOf('v_long_000001'));
    expect(lead?.model).toBe('newsletters-1');
    expect(lead?.reasons).toContain('signed up for the newsletter');
  });
});
