import { describe, expect, it } from 'vitest';
import { getUuidTime, uuidv7 } from './uuid.js';

describe('uuidv7', () => {
  it('writes the version, the variant and the time', () => {
    const ms = Date.UTC(2026, 10, 30, 12, 0, 0, 123);
    const id = uuidv7(ms);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(getUuidTime(id)).toBe(ms);
  });

  it('sorts in creation order within one millisecond', () => {
    const ms = Date.now();
    const ids = Array.from({ length: 1000 }, () => uuidv7(ms));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(1000);
  });

  it('sorts by time across milliseconds', () => {
    const a = uuidv7(1_000_000);
    const b = uuidv7(1_000_001);
    const c = uuidv7(2 ** 47);
    expect([c, b, a].sort()).toEqual([a, b, c]);
  });

  it('drops a fraction of a millisecond, as a fake clock gives', () => {
    const ms = Date.UTC(2026, 10, 30, 12, 0, 0, 294);
    const id = uuidv7(ms + 0.912);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(getUuidTime(id)).toBe(ms);
    // The same millisecond as a whole-ms id: the counter keeps them in creation order.
    expect(uuidv7(ms) > id).toBe(true);
  });
});
