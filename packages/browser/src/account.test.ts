import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { validateBatch } from '@inkling/core';
import type { AnyEvent, Batch } from '@inkling/core';
import { installCommandQueue } from './command-queue.js';
import { MAX_EVENT_BYTES, createTracker, startTracker } from './tracker.js';
import type { Tracker } from './tracker.js';
import { createCallbackTransport } from './transport/callback.js';

// What the wire format says of an account id: 1 to 128 characters, trimmed, no "@", no control characters.
const ACCOUNT_ID = /^(?!\s)[^@\p{Cc}]{1,128}(?<!\s)$/u;

const batches: Batch[] = [];
const sent = () => batches.flatMap((b) => b.events) as AnyEvent[];
let trackers: Tracker[] = [];
const start = (options: Partial<Parameters<typeof createTracker>[0]> = {}) => {
  const t = createTracker({ site: 'test', transports: [createCallbackTransport((b) => void batches.push(b))], ...options });
  trackers.push(t);
  return t;
};
const stored = () => JSON.parse(localStorage.getItem('inkling:test') ?? '{}') as { v?: string; g?: string };

beforeEach(() => {
  history.replaceState(null, '', '/pricing');
  localStorage.clear();
});
afterEach(async () => {
  trackers.forEach((t) => t.stop());
  trackers = [];
  await new Promise((r) => setTimeout(r, 10));
  // Everything sent keeps to the wire format, whatever the test did.
  for (const b of batches) expect(validateBatch(b)).toMatchObject({ ok: true });
  for (const e of sent()) if ('account' in e) expect(e.account).toMatch(ACCOUNT_ID);
  batches.length = 0;
});

describe('group()', () => {
  it('sends a group event with the account and scrubbed traits, and every later event carries the account', async () => {
    const tracker = start();
    tracker.track('before');
    tracker.group('acct_northwind', { name: 'Northwind', owner: 'ada@northwind.com', plan: 'team' });
    tracker.track('demo_request');
    await tracker.flush();
    const events = sent();
    expect(events.find((e) => e.type === 'track' && e.props.name === 'before')).not.toHaveProperty('account');
    const group = events.find((e) => e.type === 'group')!;
    expect(group.account).toBe('acct_northwind');
    expect(group.props).toEqual({ accountId: 'acct_northwind', traits: { name: 'Northwind', owner: '[email]', plan: 'team' } });
    expect(events.find((e) => e.type === 'track' && e.props.name === 'demo_request')?.account).toBe('acct_northwind');
    expect(stored().g).toBe('acct_northwind');
  });

  it('trims the id, and sends no traits when none are given', async () => {
    const tracker = start();
    tracker.group('  acct_1 \t');
    await tracker.flush();
    expect(sent().find((e) => e.type === 'group')).toMatchObject({ account: 'acct_1', props: { accountId: 'acct_1' } });
    expect(sent().find((e) => e.type === 'group')?.props).not.toHaveProperty('traits');
  });

  it('keeps the account across page loads, like the visitor id', async () => {
    const first = start();
    first.group('acct_northwind');
    await first.flush();
    first.stop();
    await new Promise((r) => setTimeout(r, 20));
    batches.length = 0;
    history.replaceState(null, '', '/blog/close-faster');
    const next = start();
    next.track('video_play');
    await next.flush();
    const events = sent();
    expect(events.map((e) => e.type)).toEqual(['page_view', 'track']);
    expect(events.map((e) => e.account)).toEqual(['acct_northwind', 'acct_northwind']);
  });

  it('moves the visitor to the last account grouped, and group(null) leaves it without sending anything', async () => {
    const tracker = start();
    tracker.group('acct_a');
    tracker.group('acct_b');
    tracker.track('in_b');
    tracker.group(null);
    tracker.track('in_none');
    await tracker.flush();
    const events = sent();
    expect(events.filter((e) => e.type === 'group').map((e) => e.account)).toEqual(['acct_a', 'acct_b']);
    expect(events.find((e) => e.type === 'track' && e.props.name === 'in_b')?.account).toBe('acct_b');
    expect(events.find((e) => e.type === 'track' && e.props.name === 'in_none')).not.toHaveProperty('account');
    expect(events.filter((e) => e.type === 'group')).toHaveLength(2);
    expect(stored()).not.toHaveProperty('g');
    expect(stored().v).toBeTruthy();
  });

  it('is forgotten by forget(): the new visitor belongs to no account', async () => {
    const tracker = start();
    tracker.group('acct_northwind');
    await tracker.forget();
    tracker.track('after');
    await tracker.flush();
    expect(sent().find((e) => e.type === 'track')).not.toHaveProperty('account');
    expect(stored()).not.toHaveProperty('g');
  });

  it('is erased by a refusal of consent, and not back after a later grant', async () => {
    const tracker = start();
    tracker.group('acct_northwind');
    await tracker.flush();
    tracker.consent('denied');
    await new Promise((r) => setTimeout(r, 20));
    expect(localStorage.getItem('inkling:test')).toBeNull();
    batches.length = 0;
    tracker.consent('granted');
    tracker.track('after');
    await tracker.flush();
    expect(sent().map((e) => e.type)).toContain('track');
    expect(sent().filter((e) => 'account' in e)).toEqual([]);
  });

  it('waits for consent in order: joined then left while pending, the visitor belongs to no account', async () => {
    const tracker = start({ consent: 'pending' });
    tracker.group('acct_a');
    tracker.group(null);
    tracker.group('acct_b');
    tracker.track('last');
    expect(localStorage.getItem('inkling:test')).toBeNull();
    tracker.consent('granted');
    await tracker.flush();
    expect(sent().find((e) => e.type === 'track')?.account).toBe('acct_b');
    expect(stored().g).toBe('acct_b');
    batches.length = 0;
    tracker.group(null);
    tracker.track('left');
    await tracker.flush();
    expect(sent().find((e) => e.type === 'track')).not.toHaveProperty('account');
  });

  it.each([
    ['an empty id', ''],
    ['a blank id', '   '],
    ['a huge id', 'a'.repeat(129)],
    ['an object', { id: 'acct_1' }],
    ['a number', 42],
    ['undefined', undefined],
    ['an e-mail address', 'ada@northwind.com'],
    ['an encoded e-mail address', 'ada%40northwind.com'],
    ['an "@"', 'northwind@'],
    ['a control character', 'acct\n1'],
  ])('refuses %s with E30, sends nothing and keeps the account', async (_, id) => {
    const onError = vi.fn();
    const tracker = start({ onError });
    tracker.group('acct_kept');
    expect(() => tracker.group(id as never)).not.toThrow();
    tracker.track('after');
    await tracker.flush();
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError.mock.calls[0]![0].message).toBe(
      `Inkling: group() needs your own id for the account (1 to 128 characters, not an e-mail address) and traits as an object, or null to leave it; got ${typeof id === 'string' ? `"${id}"` : String(id)}`,
    );
    expect(
      sent()
        .filter((e) => e.type === 'group')
        .map((e) => e.account),
    ).toEqual(['acct_kept']);
    expect(sent().find((e) => e.type === 'track')?.account).toBe('acct_kept');
  });

  it('accepts 128 characters, the most an account id may have', async () => {
    const tracker = start();
    tracker.group('a'.repeat(128));
    await tracker.flush();
    expect(sent().find((e) => e.type === 'group')?.account).toHaveLength(128);
  });

  it.each([
    ['a string', 'Northwind'],
    ['an array', ['Northwind']],
  ])('refuses traits that are %s with E30', async (_, traits) => {
    const onError = vi.fn();
    const tracker = start({ onError });
    tracker.group('acct_1', traits as never);
    await tracker.flush();
    expect(onError.mock.calls[0]?.[0].message).toMatch(/^Inkling: group\(\) needs .* traits as an object/);
    expect(sent().some((e) => e.type === 'group')).toBe(false);
    expect(stored()).not.toHaveProperty('g');
  });

  it('bounds traits like identify: long strings cut, deep nesting dropped, an oversized event dropped and counted', async () => {
    const onError = vi.fn();
    const tracker = start({ onError });
    tracker.group('acct_1', { note: 'x'.repeat(5000), deep: { a: { b: { c: { d: { e: { f: 1 } } } } } } });
    await tracker.flush();
    const traits = (sent().find((e) => e.type === 'group')?.props as unknown as { traits: { note: string } }).traits;
    expect(traits.note.length).toBeLessThan(5000);
    expect(JSON.stringify(traits)).not.toContain('"f":1');
    const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, 'y'.repeat(1000)]));
    tracker.group('acct_2', many);
    await tracker.flush();
    expect(JSON.stringify(many).length).toBeGreaterThan(MAX_EVENT_BYTES);
    expect(tracker.getStats().dropped['too-large']).toBe(1);
    expect(onError.mock.calls[0]?.[0].message).toMatch(/a group event of \d+ bytes is over the/);
  });

  it('is a command of the script tag’s queue, before and after the script loads', async () => {
    const w = window as Window & { inkling?: unknown };
    w.inkling = [['group', 'acct_queued', { plan: 'team' }]];
    const tracker = startTracker({ site: 'test', transports: [createCallbackTransport((b) => void batches.push(b))] });
    trackers.push(tracker);
    installCommandQueue(window, tracker);
    (w.inkling as unknown as (...args: unknown[]) => unknown)('track', 'queued');
    (w.inkling as unknown as (...args: unknown[]) => unknown)('group', null);
    (w.inkling as unknown as (...args: unknown[]) => unknown)('track', 'left');
    await tracker.flush();
    delete w.inkling;
    const events = sent();
    expect(events.find((e) => e.type === 'group')?.props).toEqual({ accountId: 'acct_queued', traits: { plan: 'team' } });
    expect(events.find((e) => e.type === 'track' && e.props.name === 'queued')?.account).toBe('acct_queued');
    expect(events.find((e) => e.type === 'track' && e.props.name === 'left')).not.toHaveProperty('account');
  });
});
