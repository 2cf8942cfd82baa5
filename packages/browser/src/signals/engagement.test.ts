import { describe, expect, it } from 'vitest';
import { createEngagement } from './engagement.js';

const S = 1000;

describe('createEngagement', () => {
  it('counts 5 s of engaged and 30 s of attentive time after a single interaction', () => {
    const e = createEngagement(true, 0);
    expect(e._read(60 * S)).toEqual([5 * S, 30 * S]);
  });

  it('counts continuous reading once, not once per interaction', () => {
    const e = createEngagement(true, 0);
    for (let t = 2 * S; t <= 60 * S; t += 2 * S) e._hit(t);
    // Interactions every 2 s for 60 s, then idle: engaged ends 5 s after the last one, attentive 30 s after.
    expect(e._read(120 * S)).toEqual([65 * S, 90 * S]);
  });

  it('adds nothing while the page is hidden, however long', () => {
    const e = createEngagement(true, 0);
    e._hit(1 * S);
    e._gate(false, 3 * S);
    expect(e._read(10 * 60 * S)).toEqual([3 * S, 3 * S]);
    e._hit(5 * 60 * S); // A scroll event delivered while hidden is not engagement.
    e._gate(true, 10 * 60 * S);
    expect(e._read(10 * 60 * S + 2 * S)).toEqual([5 * S, 5 * S]);
  });

  it('counts a gap between interactions only up to the idle window', () => {
    const e = createEngagement(true, 0);
    e._hit(20 * S);
    // engaged: [0,5) + [20,25); attentive: [0,30) merged with [20,50) = [0,50)
    expect(e._read(100 * S)).toEqual([10 * S, 50 * S]);
  });

  it('reads partial time while the window is still open', () => {
    const e = createEngagement(true, 0);
    expect(e._read(2 * S)).toEqual([2 * S, 2 * S]);
  });

  it('starts from zero on reset and keeps the gate closed if it was', () => {
    const e = createEngagement(true, 0);
    e._hit(10 * S);
    e._gate(false, 12 * S);
    e._reset(20 * S);
    expect(e._read(40 * S)).toEqual([0, 0]);
    e._gate(true, 40 * S);
    expect(e._read(41 * S)).toEqual([1 * S, 1 * S]);
  });

  it('ignores repeated gate changes to the same state', () => {
    const e = createEngagement(false, 0);
    e._gate(false, 5 * S);
    expect(e._read(10 * S)).toEqual([0, 0]);
    e._gate(true, 10 * S);
    e._gate(true, 12 * S);
    expect(e._read(60 * S)).toEqual([5 * S, 30 * S]);
  });

  it('does not count time before a page view that starts with the gate closed', () => {
    const e = createEngagement(false, 0);
    e._hit(3 * S);
    expect(e._read(100 * S)).toEqual([0, 0]);
  });
});
