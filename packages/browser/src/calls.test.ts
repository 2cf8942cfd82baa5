import { describe, expect, it } from 'vitest';
import { toIdentify, toTrack } from './calls.js';

describe('toTrack', () => {
  it('records the name with the props, e-mail addresses scrubbed', () => {
    expect(toTrack('demo_request', { note: 'call jane@acme.io', seats: 12 })).toEqual([
      'track',
      { note: 'call [email]', seats: 12, name: 'demo_request' },
    ]);
    expect(toTrack('signup')).toEqual(['track', { name: 'signup' }]);
  });

  it.each([[''], ['x'.repeat(129)], [42], [undefined]])('refuses the name %j, naming the call and the fix', (name) => {
    expect(() => toTrack(name)).toThrow(/track\(\) needs an event name of 1 to 128 characters/);
  });
});

describe('toIdentify', () => {
  it('records the id, with scrubbed traits when there are any', () => {
    expect(toIdentify('u_42')).toEqual(['identify', { userId: 'u_42' }]);
    expect(toIdentify('u_42', { email: 'jane@acme.io', plan: 'team' })).toEqual([
      'identify',
      { userId: 'u_42', traits: { email: '[email]', plan: 'team' } },
    ]);
  });

  it.each([[''], ['x'.repeat(257)], ['jane@acme.io'], [7]])('refuses the id %j, naming the call and the fix', (id) => {
    expect(() => toIdentify(id)).toThrow(/identify\(\) needs your own id for the lead/);
  });
});
