import { describe, expect, it } from 'vitest';
import { DAY_MS, getByteLength, HOUR_MS, parseRetryAfter } from './index.js';

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-30T12:00:00Z');
  it('reads delay-seconds, surrounding spaces allowed', () => expect(parseRetryAfter(' 120 ', now, DAY_MS)).toBe(120_000));
  it('reads an HTTP-date as the time left until it', () =>
    expect(parseRetryAfter('Mon, 30 Nov 2026 12:00:10 GMT', now, DAY_MS)).toBe(10_000));
  it('treats a date in the past as now', () => expect(parseRetryAfter('Mon, 30 Nov 2026 11:00:00 GMT', now, DAY_MS)).toBe(0));
  it("caps the wait at the caller's maximum", () => {
    expect(parseRetryAfter('9999999', now, 10 * HOUR_MS)).toBe(10 * HOUR_MS);
    expect(parseRetryAfter('Fri, 01 Jan 2100 00:00:00 GMT', now, DAY_MS)).toBe(DAY_MS);
  });
  it('gives undefined for an absent or unreadable header', () => {
    expect(parseRetryAfter(null, now, DAY_MS)).toBeUndefined();
    expect(parseRetryAfter('', now, DAY_MS)).toBeUndefined();
    expect(parseRetryAfter('soon', now, DAY_MS)).toBeUndefined();
  });
});

describe('getByteLength', () => {
  it('counts UTF-8 bytes, not UTF-16 units', () => {
    expect(getByteLength('abc')).toBe(3);
    expect(getByteLength('né')).toBe(3);
    expect(getByteLength('日本')).toBe(6);
    expect(getByteLength('👋')).toBe(4);
  });
});
