import { describe, expect, it } from 'vitest';
import { getTrafficSource } from './traffic-source.js';

describe('getTrafficSource', () => {
  it.each([
    [{ source: 'google', medium: 'cpc' }, 'paid'],
    [{ source: 'linkedin', medium: 'paid_social' }, 'paid'],
    [{ source: 'newsletter', medium: 'email' }, 'email'],
    [{ source: 'mail.google.com', medium: 'referral' }, 'email'],
    [{ source: 'www.linkedin.com', medium: 'referral' }, 'social'],
    [{ source: 't.co', medium: 'referral' }, 'social'],
    [{ source: 'mastodon', medium: 'social' }, 'social'],
    [{ source: 'www.google.co.uk', medium: 'organic' }, 'search'],
    [{ source: 'google', medium: 'paid_search' }, 'paid'],
    [{ source: 'partner.example.net', medium: 'referral' }, 'referral'],
    [{ source: '(direct)', medium: '(none)' }, 'direct'],
  ] as const)('classes %j as %s', (touch, expected) => {
    expect(getTrafficSource(touch)).toBe(expected);
  });
});
