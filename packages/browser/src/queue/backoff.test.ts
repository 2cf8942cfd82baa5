import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBackoff, NETWORK_ERRORS_TO_PAUSE } from './backoff.js';

let stops: Array<() => void> = [];
const make = (onResume = () => {}) => {
  const backoff = createBackoff(onResume);
  stops.push(backoff[4]);
  return backoff;
};

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(1_000_000);
});
afterEach(() => {
  stops.forEach((stop) => stop());
  stops = [];
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('createBackoff', () => {
  it('is ready at first, with nothing to wait for', () => {
    const [ready, retryAt] = make();
    expect(ready()).toBe(true);
    expect(retryAt()).toBe(0);
  });

  it('waits as Retry-After says, or with a jittered backoff that doubles', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999);
    const [, retryAt, , failed] = make();
    failed(false, '30');
    expect(retryAt()).toBe(1_000_000 + 30_000);
    failed(false, undefined);
    expect(retryAt()).toBe(1_000_000 + 999);
    failed(false, null);
    expect(retryAt()).toBe(1_000_000 + 1998);
  });

  it('starts over after a success', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999);
    const [, retryAt, succeeded, failed] = make();
    failed(false, undefined);
    failed(false, undefined);
    succeeded();
    failed(false, undefined);
    expect(retryAt()).toBe(1_000_000 + 999);
  });

  it('pauses after network errors in a row, and says how many; a success or another failure breaks the row', () => {
    const [ready, , succeeded, failed] = make();
    for (let i = 1; i < NETWORK_ERRORS_TO_PAUSE; i++) expect(failed(true, undefined)).toBeFalsy();
    succeeded();
    for (let i = 1; i < NETWORK_ERRORS_TO_PAUSE; i++) expect(failed(true, undefined)).toBeFalsy();
    expect(failed(false, undefined)).toBeFalsy();
    expect(ready()).toBe(true);
    expect(failed(true, undefined)).toBe(NETWORK_ERRORS_TO_PAUSE);
    expect(ready()).toBe(false);
  });

  it('is not ready while the browser is offline', () => {
    const [ready] = make();
    vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    expect(ready()).toBe(false);
  });

  it('back online: waits no more, unpauses and calls onResume; not after stop', () => {
    const onResume = vi.fn();
    const [ready, retryAt, , failed, stop] = make(onResume);
    for (let i = 0; i < NETWORK_ERRORS_TO_PAUSE; i++) failed(true, '60');
    window.dispatchEvent(new Event('online'));
    expect(onResume).toHaveBeenCalledTimes(1);
    expect(ready()).toBe(true);
    expect(retryAt()).toBe(0);
    stop();
    window.dispatchEvent(new Event('online'));
    expect(onResume).toHaveBeenCalledTimes(1);
  });
});
