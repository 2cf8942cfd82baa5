import { describe, expect, it } from 'vitest';
import { makeBatch, makeEvent } from '../test/events.js';
import { EVENT_TYPES, validateBatch, validateEvent } from './validate.js';

describe('validateBatch', () => {
  it('accepts a batch with one event of every type', () => {
    const batch = makeBatch();
    expect(batch.events.map((e) => e.type).sort()).toEqual([...EVENT_TYPES].sort());
    const result = validateBatch(batch);
    expect(result).toEqual({ ok: true, value: batch });
  });

  it('names the field and the rule of a bad timestamp', () => {
    const batch = makeBatch([
      makeEvent('page_view'),
      makeEvent('page_view'),
      makeEvent('page_view'),
      makeEvent('page_view', { ts: 'yesterday' }),
    ]);
    const result = validateBatch(batch);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toBe('events[3].ts: expected an ISO-8601 date-time, got "yesterday"');
    expect(result.issues[0]).toMatchObject({ path: 'events[3].ts', rule: 'format' });
  });

  it('rejects an impossible date that matches the pattern', () => {
    const result = validateBatch(makeBatch([makeEvent('page_view', { ts: '2026-13-45T99:00:00Z' })]));
    expect(result.ok).toBe(false);
  });

  it('rejects a body that is not an object', () => {
    const result = validateBatch([1, 2]);
    expect(result).toMatchObject({ ok: false, message: 'body: expected an object, got an array' });
  });

  it('rejects the wrong version, reporting every issue it finds', () => {
    const result = validateBatch({ v: 2, site: '', events: [] });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => `${i.path}:${i.rule}`)).toEqual(['v:const', 'site:min', 'sentAt:required', 'events:min']);
    expect(result.message).toMatch(/^v: expected 1, got 2 \(and 3 more issues\)$/);
  });

  it('rejects unknown fields outside custom props', () => {
    const event = { ...makeEvent('page_view'), score: 99 };
    const result = validateBatch(makeBatch([event as never]));
    expect(result).toMatchObject({ ok: false, message: 'events[0].score: is not a known field; remove it' });
  });

  it('rejects an unknown event type and names the accepted ones', () => {
    const result = validateEvent({ ...makeEvent('page_view'), type: 'pageview' }, 'events[0]');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain('events[0].type: expected one of page_view, page_engagement');
  });

  it('rejects a wrong field type inside props', () => {
    const event = makeEvent('page_engagement');
    (event.props as { engagedMs: unknown }).engagedMs = '42s';
    expect(validateEvent(event)).toMatchObject({ ok: false, message: 'event.props.engagedMs: expected a finite number, got "42s"' });
  });

  it('accepts any JSON in track props but bounds its depth', () => {
    expect(validateEvent(makeEvent('track', { props: { name: 'x', a: { b: [1, 'two', null, true] } } })).ok).toBe(true);
    const deep = makeEvent('track', { props: { name: 'x', a: { b: { c: { d: { e: { f: { g: 1 } } } } } } } });
    expect(validateEvent(deep)).toMatchObject({ ok: false });
  });

  it('does not mistake inherited names for fields or types', () => {
    expect(validateEvent({ ...makeEvent('page_view'), type: 'constructor' }).ok).toBe(false);
    const event = makeEvent('page_view');
    (event.page as unknown as Record<string, unknown>)['constructor'] = 'x';
    expect(validateEvent(event)).toMatchObject({ ok: false, message: 'event.page.constructor: is not a known field; remove it' });
  });

  it('rejects an event id that is not a UUIDv7', () => {
    const result = validateEvent(makeEvent('page_view', { id: '6ba7b810-9dad-11d1-80b4-00c04fd430c8' }));
    expect(result).toMatchObject({ ok: false, message: expect.stringContaining('event.id: expected a UUIDv7') });
  });

  it('stops at 20 issues', () => {
    const events = Array.from({ length: 30 }, () => ({ ...makeEvent('page_view'), ts: 'x' }));
    const result = validateBatch(makeBatch(events as never));
    expect(result.ok === false && result.issues.length).toBe(20);
  });
});

describe('accounts on the wire', () => {
  const withAccount = (account: unknown) => validateEvent(makeEvent('page_view', { account: account as string }), 'events[2]');

  it('accepts an account on any event, and a group event with traits', () => {
    expect(withAccount('northwind').ok).toBe(true);
    expect(withAccount('Northwind Traders GmbH / EU').ok).toBe(true);
    expect(withAccount('x'.repeat(128)).ok).toBe(true);
    const group = makeEvent('group', { account: 'northwind', props: { accountId: 'northwind', traits: { name: 'Northwind', seats: 40 } } });
    expect(validateEvent(group).ok).toBe(true);
  });

  it('never takes an e-mail address for an account id, and says so', () => {
    expect(withAccount('ada@northwind.com')).toMatchObject({
      ok: false,
      message: 'events[2].account: expected 1–128 characters without an e-mail address, got "ada@northwind.com"',
    });
  });

  it.each([
    ['empty', '', 'min', 'got ""'],
    ['huge', 'n'.repeat(129), 'max', '129 characters'],
    ['an object', { id: 'northwind' }, 'type', 'got an object'],
    ['a number', 42, 'type', 'got 42'],
    ['padded', ' northwind', 'format', 'trimmed'],
    ['holding a control character', 'north\u0000wind', 'format', 'without control characters'],
  ])('rejects an account id that is %s, naming the field', (_name, value, rule, text) => {
    const result = withAccount(value);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues[0]).toMatchObject({ path: 'events[2].account', rule });
    expect(result.message).toContain('events[2].account: expected');
    expect(result.message).toContain(text);
  });

  it('applies the same rule to group props, and bounds group traits like identify traits', () => {
    const bad = makeEvent('group', { props: { accountId: 'grace@contoso.com' } });
    expect(validateEvent(bad)).toMatchObject({ ok: false, message: expect.stringContaining('event.props.accountId: expected 1–128') });
    const missing = makeEvent('group', { props: {} as never });
    expect(validateEvent(missing)).toMatchObject({ ok: false, message: expect.stringContaining('event.props.accountId') });
    const deep = makeEvent('group', { props: { accountId: 'n', traits: { a: { b: { c: { d: { e: { f: { g: 1 } } } } } } } } });
    expect(validateEvent(deep).ok).toBe(false);
    const extra = makeEvent('group', { props: { accountId: 'n', company: 'x' } as never });
    expect(validateEvent(extra)).toMatchObject({ ok: false, message: 'event.props.company: is not a known field; remove it' });
  });
});
