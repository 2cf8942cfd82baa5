import { describe, expect, it } from 'vitest';
import { classifyStatus, getBackoffMs, parseRetryAfter } from './retry.js';

describe('getBackoffMs', () => {
  it('draws from 0 up to 1 s x 2^attempt', () => {
    expect(getBackoffMs(0, () => 0.999)).toBe(999);
    expect(getBackoffMs(3, () => 0.5)).toBe(4000);
    expect(getBackoffMs(3, () => 0)).toBe(0);
  });

  it('never waits more than 5 minutes', () => {
    expect(getBackoffMs(30, () => 0.999999)).toBe(299_999);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 10, 30, 12, 0, 0);
  it('reads delay-seconds', () => expect(parseRetryAfter('3', now)).toBe(3000));
  it('reads an HTTP-date', () => expect(parseRetryAfter('Mon, 30 Nov 2026 12:00:10 GMT', now)).toBe(10_000));
  it('treats a date in the past as now', () => expect(parseRetryAfter('Mon, 30 Nov 2026 11:00:00 GMT', now)).toBe(0));
  it('caps a very long wait at a day', () => expect(parseRetryAfter('9999999', now)).toBe(86_400_000));
  it('ignores a missing or unreadable value', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

describe('classifyStatus', () => {
  it.each([
    [200, 'ok'],
    [202, 'ok'],
    [204, 'ok'],
    [0, 'retry'],
    [408, 'retry'],
    [425, 'retry'],
    [429, 'retry'],
    [500, 'retry'],
    [503, 'retry'],
    [413, 'split'],
    [400, 'drop'],
    [401, 'drop'],
    [403, 'drop'],
    [404, 'drop'],
    [422, 'drop'],
    [301, 'drop'],
  ])('treats %i as %s', (status, outcome) => {
    expect(classifyStatus(status)).toBe(outcome);
  });
});
