import { beforeEach, describe, expect, it } from 'vitest';
import { createVisits, getTouch, getUtm } from './visits.js';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const T0 = Date.UTC(2026, 10, 2, 9, 0, 0);

beforeEach(() => localStorage.clear());

describe('createVisits', () => {
  it('starts visit 1 of a new visitor with where the id came from', () => {
    const visits = createVisits('k', localStorage);
    const start = visits._touch(T0, ['https://site.example/blog/x?utm_source=newsletter&utm_medium=email', 'https://mail.example/']);
    expect(start).toEqual({
      visit: 1,
      daysSinceLast: null,
      referrer: 'https://mail.example/',
      utm: { source: 'newsletter', medium: 'email' },
      firstTouch: { source: 'newsletter', medium: 'email' },
      lastTouch: { source: 'newsletter', medium: 'email' },
      idSource: 'new',
    });
    expect(visits._get().v).toMatch(/^[0-9a-f-]{36}$/);
    expect(visits._get().s).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('continues the visit within 30 minutes and starts visit 2 after, keeping the first touch', () => {
    const first = createVisits('k', localStorage);
    first._touch(T0, ['https://site.example/', 'https://www.google.com/']);
    expect(first._touch(T0 + 29 * MIN)).toBeUndefined();
    first._save();

    // A new page load 10 minutes later: same visit.
    const again = createVisits('k', localStorage);
    expect(again._touch(T0 + 39 * MIN, ['https://site.example/pricing', 'https://site.example/'])).toBeUndefined();
    expect(again._get().s).toBe(first._get().s);
    again._save();

    // Three days later: visit 2, same visitor.
    const later = createVisits('k', localStorage);
    const start = later._touch(T0 + 3 * DAY, ['https://site.example/', '']);
    expect(start).toMatchObject({
      visit: 2,
      daysSinceLast: 2,
      firstTouch: { source: 'www.google.com', medium: 'organic' },
      lastTouch: { source: '(direct)', medium: '(none)' },
      idSource: 'stored',
    });
    expect(later._get().v).toBe(first._get().v);
    expect(later._get().s).not.toBe(first._get().s);
  });

  it('sees activity from another tab before starting a new visit', () => {
    const a = createVisits('k', localStorage);
    const b = createVisits('k', localStorage);
    a._touch(T0, ['https://site.example/', '']);
    b._touch(T0 + MIN, ['https://site.example/docs', 'https://site.example/']);
    b._touch(T0 + 25 * MIN);
    b._save();
    // Tab A was idle for 35 minutes, but tab B was active 10 minutes ago.
    expect(a._touch(T0 + 35 * MIN)).toBeUndefined();
  });

  it('lives in memory when storage is blocked', () => {
    const blocked = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('SecurityError');
      },
    } as unknown as Storage;
    const visits = createVisits('k', blocked);
    expect(visits._touch(T0, ['https://site.example/', ''])).toMatchObject({ visit: 1, idSource: 'memory' });
    expect(() => visits._save()).not.toThrow();
  });

  it('keeps the first linked user id', () => {
    const visits = createVisits('k', localStorage);
    visits._touch(T0);
    visits._link('lead-1');
    visits._link('lead-2');
    expect(visits._get().u).toBe('lead-1');
    expect(createVisits('k', localStorage)._get().u).toBe('lead-1');
  });
});

describe('getTouch', () => {
  it('calls an external referrer a referral and a search engine organic', () => {
    expect(getTouch(undefined, 'https://news.ycombinator.com/item?id=1')).toEqual({ source: 'news.ycombinator.com', medium: 'referral' });
    expect(getTouch(undefined, 'https://duckduckgo.com/')).toEqual({ source: 'duckduckgo.com', medium: 'organic' });
  });

  it('ignores a referrer on this site', () => {
    expect(getTouch(undefined, `${location.origin}/blog/`)).toEqual({ source: '(direct)', medium: '(none)' });
  });

  it('prefers UTM parameters', () => {
    expect(getTouch(getUtm('https://a.example/?utm_source=li&utm_campaign=q4'), 'https://x.example/')).toEqual({
      source: 'li',
      medium: '(none)',
      campaign: 'q4',
    });
  });
});
