// @vitest-environment node
// A server rendering a page: no window, document or location.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTracker } from './tracker.js';
import type { Tracker } from './tracker.js';

const METHODS = [
  'track',
  'identify',
  'group',
  'page',
  'flush',
  'consent',
  'forget',
  'getStats',
  'getIntent',
  'onIntent',
  'vitals',
  'stop',
] as const;
// The list above is the whole Tracker interface: a method added to it without being added here fails the typecheck.
const everyMethod: Exclude<keyof Tracker, (typeof METHODS)[number]> extends never ? true : never = true;

afterEach(() => {
  vi.restoreAllMocks();
});

describe('createTracker on a server', () => {
  it('returns a tracker with every method, each doing nothing and throwing nothing', async () => {
    expect(everyMethod).toBe(true);
    expect(typeof window).toBe('undefined');
    const tracker = createTracker({ endpoint: 'https://collect.example.com/collect', site: 'example.com' });
    expect(Object.keys(tracker).sort()).toEqual([...METHODS].sort());
    tracker.track('demo_request', { plan: 'team' });
    tracker.identify('lead-42');
    tracker.group('acct_northwind', { plan: 'team' });
    tracker.group(null);
    tracker.page();
    tracker.consent('denied');
    tracker.vitals({ lcp: 1200 });
    await expect(tracker.flush()).resolves.toBeUndefined();
    await expect(tracker.forget()).resolves.toBeUndefined();
    expect(tracker.getStats()).toEqual({ queued: 0, sent: 0, retried: 0, dropped: {}, transports: {} });
    tracker.stop();
  });

  it('answers a new visitor’s intent: cold, score 0, no reasons, the same object every time', () => {
    const tracker = createTracker({ endpoint: '/collect' });
    const intent = tracker.getIntent();
    expect(intent).toMatchObject({ score: 0, level: 'cold', previous: 'cold', reasons: [] });
    expect(typeof intent.model).toBe('string');
    // Stable, so React's useSyncExternalStore can take it as the server snapshot.
    expect(tracker.getIntent()).toBe(intent);
  });

  it('returns a stop function from onIntent, and never calls back', () => {
    const tracker = createTracker({ endpoint: '/collect' });
    const callback = vi.fn();
    const stop = tracker.onIntent(callback);
    tracker.track('demo_request');
    stop();
    stop();
    expect(callback).not.toHaveBeenCalled();
  });

  it('says so once with debug, however many trackers are created, and not at all without', () => {
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => {});
    createTracker({ endpoint: '/collect' });
    expect(debug).not.toHaveBeenCalled();
    createTracker({ endpoint: '/collect', debug: true });
    createTracker({ endpoint: '/collect', debug: true });
    expect(debug).toHaveBeenCalledTimes(1);
    expect(debug.mock.calls[0]!.join(' ')).toMatch(/^\[inkling\] no window here .*does nothing; it tracks in the browser\.$/);
  });

  it('still refuses bad options, naming the option', () => {
    expect(() => createTracker({})).toThrow(/option "endpoint" must be your collector's URL \(or give "transports"\)/);
    expect(() => createTracker({ endpoint: 42 as unknown as string })).toThrow(/option "endpoint" .*; got 42/);
    expect(() => createTracker({ endpoint: '/collect', debug: 'yes' as unknown as boolean })).toThrow(
      /option "debug" must be true or false; got "yes"/,
    );
    expect(() => createTracker(undefined as unknown as { endpoint: string })).toThrow(/option "options" must be an object/);
    expect(() => createTracker({ endpoint: '/collect', queue: { batchEvents: 0 } })).toThrow(/option "queue.batchEvents"/);
  });

  it('accepts transports instead of an endpoint, and a scroll root only a page could check', () => {
    const transport = { name: 'app', send: vi.fn(async () => ({ status: 204 })) };
    const tracker = createTracker({ transports: [transport], scrollRoot: '#reader' });
    tracker.track('demo_request');
    return tracker.flush().then(() => expect(transport.send).not.toHaveBeenCalled());
  });
});
