import { afterEach, describe, expect, it, vi } from 'vitest';
import { installCommandQueue } from './command-queue.js';

type Win = Window & { inkling?: unknown };

function fakeTracker() {
  const calls: Array<[string, unknown[], number]> = [];
  const tracker = {
    _at: 0,
    track(...args: unknown[]) {
      calls.push(['track', args, tracker._at]);
    },
    getIntent: () => ({ level: 'warm' }),
    _internal: () => 'secret',
  };
  return { tracker, calls };
}

afterEach(() => delete (window as Win).inkling);

describe('installCommandQueue', () => {
  it('replays calls the stub recorded, in order and with their original time', () => {
    (window as Win).inkling = Object.assign(() => {}, {
      q: [
        [1000, ['track', 'first', { a: 1 }]],
        [2000, ['track', 'second']],
      ] as Array<[number, unknown[]]>,
    });
    const { tracker, calls } = fakeTracker();
    installCommandQueue(window, tracker);
    expect(calls).toEqual([
      ['track', ['first', { a: 1 }], 1000],
      ['track', ['second'], 2000],
    ]);
    expect(tracker._at).toBe(0);
  });

  it('replays an array of commands pushed before load, and keeps working as push after', () => {
    (window as Win).inkling = [['track', 'early']];
    const { tracker, calls } = fakeTracker();
    installCommandQueue(window, tracker);
    ((window as Win).inkling as { push(a: unknown[]): void }).push(['track', 'late']);
    (window as unknown as { inkling(...a: unknown[]): void }).inkling('track', 'called');
    expect(calls.map(([, args]) => args[0])).toEqual(['early', 'late', 'called']);
  });

  it('returns what a command returns', () => {
    const { tracker } = fakeTracker();
    installCommandQueue(window, tracker);
    expect((window as unknown as { inkling(c: string): unknown }).inkling('getIntent')).toEqual({ level: 'warm' });
  });

  it('refuses unknown and internal commands with a message that lists the commands', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { tracker } = fakeTracker();
    installCommandQueue(window, tracker);
    const inkling = (window as unknown as { inkling(c: string): unknown }).inkling;
    expect(inkling('_internal')).toBeUndefined();
    inkling('trak');
    expect(error.mock.calls.map((c) => c[0])).toEqual([
      'Inkling: unknown command _internal; use track, getIntent',
      'Inkling: unknown command trak; use track, getIntent',
    ]);
    error.mockRestore();
  });
});
