import { validateEvent } from '@inkling/core';
import { describe, expect, it } from 'vitest';
import { makeEvent } from '@inkling/core/test';
import { compileScrubParams, hasEmail, scrubProps, scrubText, scrubUrl } from './scrub.js';

const drop = compileScrubParams();

describe('scrubUrl', () => {
  it('drops secrets and e-mail addresses from the query, keeps the rest', () => {
    expect(scrubUrl('https://a.example/pricing?email=a@b.com&token=xyz&plan=team&utm_source=news', drop, true)).toBe(
      '/pricing?plan=team&utm_source=news',
    );
  });

  it('drops any parameter whose value is an e-mail address, also URL-encoded', () => {
    expect(scrubUrl('https://a.example/x?who=jane%40acme.io&ref=ok', drop, true)).toBe('/x?ref=ok');
  });

  it('matches parameter names without regard to case', () => {
    expect(scrubUrl('https://a.example/x?Access_Token=1&API_KEY=2', drop, true)).toBe('/x');
  });

  it.each([
    'token',
    'id_token',
    'auth',
    'code',
    'password',
    'pwd',
    'client_secret',
    'apikey',
    'sig',
    'signature',
    'session_id',
    'sid',
    'email',
    'e-mail',
    'mail',
    'phone',
    'tel',
  ])('drops %s by default', (name) => expect(scrubUrl(`https://a.example/x?${name}=1&page=2`, drop, true)).toBe('/x?page=2'));

  it('removes e-mail addresses from the path, the fragment and credentials', () => {
    expect(scrubUrl('https://user:pw@a.example/users/jane@acme.io/profile#top', drop)).toBe('https://a.example/users/[email]/profile');
  });

  it('drops the site’s own parameters when configured', () => {
    const custom = compileScrubParams(['Invite', 'a.b']);
    expect(scrubUrl('https://a.example/join?invite=123&aXb=1&a.b=2', custom, true)).toBe('/join?aXb=1');
  });
});

describe('scrubProps', () => {
  it('replaces e-mail addresses anywhere in nested props', () => {
    expect(
      scrubProps({ name: 'demo_request', note: 'call jane@acme.io', list: ['x', { to: 'bob@b.co' }], n: 3, ok: true, none: null }),
    ).toEqual({
      name: 'demo_request',
      note: 'call [email]',
      list: ['x', { to: '[email]' }],
      n: 3,
      ok: true,
      none: null,
    });
  });

  it('makes any value safe to send: long strings cut, deep nesting and functions dropped', () => {
    const deep = { a: { b: { c: { d: { e: { f: { g: 1 } } } } } } };
    const clean = scrubProps({ long: 'x'.repeat(5000), fn: () => 1, nan: NaN, when: new Date(0), deep, list: [undefined, 1] });
    expect(clean).toEqual({
      long: 'x'.repeat(2048),
      nan: null,
      when: '1970-01-01T00:00:00.000Z',
      deep: { a: { b: { c: { d: {} } } } },
      list: [null, 1],
    });
    // What comes out is exactly what the wire format accepts: one level deeper would be rejected.
    expect(validateEvent(makeEvent('track', { props: { name: 'x', ...(clean as object) } })).ok).toBe(true);
    expect(validateEvent(makeEvent('track', { props: { name: 'x', deep: { a: { b: { c: { d: { e: {} } } } } } } })).ok).toBe(false);
  });

  it('detects e-mail addresses', () => {
    expect(hasEmail('jane.doe+x@sub.acme.io')).toBe(true);
    expect(hasEmail('lead-42')).toBe(false);
    expect(scrubText('no address @ here')).toBe('no address @ here');
  });
});
