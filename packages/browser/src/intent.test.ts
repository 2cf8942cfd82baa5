import type { AnyEvent, Intent } from '@inkling/core';
import { DEFAULT_MODEL } from '@inkling/core';
import { afterEach, describe, expect, it } from 'vitest';
import { makeEvent } from '@inkling/core/test';
import { createIntent, createIntentListeners } from './intent.js';
import { openStore } from './queue/store.js';

const DAY = 86_400_000;
const at = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString();
const view = (kind: string, daysAgo = 0) => makeEvent('page_view', { ts: at(daysAgo), page: { path: '/x', kind } }) as AnyEvent;
const read = (daysAgo = 0) => makeEvent('article_read', { ts: at(daysAgo), page: { path: '/blog/x', kind: 'article' } }) as AnyEvent;
const visit = (n: number, since: number | null, daysAgo = 0) =>
  makeEvent('visit_start', {
    ts: at(daysAgo),
    props: {
      visit: n,
      daysSinceLast: since,
      firstTouch: { source: '(direct)', medium: '(none)' },
      lastTouch: { source: '(direct)', medium: '(none)' },
      idSource: 'stored',
    },
  }) as AnyEvent;
const settle = () => new Promise((r) => setTimeout(r, 30));

let stores = 0;
afterEach(() => delete document.documentElement.dataset['inklingIntent']);

describe('createIntent', () => {
  it('turns warm after three reads, pricing twice and a return within a week, and says why', async () => {
    const changes: Intent[] = [];
    const intent = createIntent(
      DEFAULT_MODEL,
      openStore(`intent-${++stores}`),
      (i) => changes.push(i),
      () => {},
    );
    for (const e of [
      visit(1, null, 3),
      view('article', 3),
      read(3),
      view('article', 3),
      read(3),
      visit(2, 3),
      view('pricing'),
      view('article'),
      read(),
      view('pricing'),
    ])
      intent._apply(e);
    expect(intent._get()).toMatchObject({ level: 'warm', model: 'default-2' });
    expect(intent._get().reasons).toContain('viewed pricing twice');
    expect(changes.map((c) => [c.previous, c.level])).toEqual([['cold', 'warm']]);
    expect(document.documentElement.dataset['inklingIntent']).toBe('warm');
  });

  it('keeps the profile and the level across page loads, without announcing the level again', async () => {
    const store = openStore(`intent-${++stores}`);
    const first = createIntent(
      DEFAULT_MODEL,
      store,
      () => {},
      () => {},
    );
    first._apply(makeEvent('track', { props: { name: 'demo_request' } }) as AnyEvent);
    expect(first._get().level).toBe('hot');
    await settle();
    const changes: Intent[] = [];
    const second = createIntent(
      DEFAULT_MODEL,
      store,
      (i) => changes.push(i),
      () => {},
    );
    await settle();
    expect(second._get()).toMatchObject({ level: 'hot', reasons: ['requested a demo'] });
    expect(changes).toEqual([]);
  });

  it('adds up events from two tabs writing at once', async () => {
    const store = openStore(`intent-${++stores}`);
    const a = createIntent(
      DEFAULT_MODEL,
      store,
      () => {},
      () => {},
    );
    const b = createIntent(
      DEFAULT_MODEL,
      store,
      () => {},
      () => {},
    );
    a._apply(view('pricing'));
    b._apply(view('pricing'));
    await settle();
    const c = createIntent(
      DEFAULT_MODEL,
      store,
      () => {},
      () => {},
    );
    await settle();
    expect(c._get().reasons).toContain('viewed pricing twice');
  });

  it('forgets the profile', async () => {
    const store = openStore(`intent-${++stores}`);
    const intent = createIntent(
      DEFAULT_MODEL,
      store,
      () => {},
      () => {},
    );
    intent._apply(makeEvent('track', { props: { name: 'demo_request' } }) as AnyEvent);
    await settle();
    intent._reset();
    await settle();
    expect(intent._get().level).toBe('cold');
    const again = createIntent(
      DEFAULT_MODEL,
      store,
      () => {},
      () => {},
    );
    await settle();
    expect(again._get()).toMatchObject({ level: 'cold', score: 0 });
  });
});

describe('createIntentListeners', () => {
  const warm = { score: 60, level: 'warm', reasons: [] } as unknown as Intent;

  it('calls every listener until it is removed; one that throws is reported and the others still run', () => {
    const errors: unknown[] = [];
    const [add, call] = createIntentListeners((e) => errors.push(e));
    const seen: string[] = [];
    const remove = add((i) => seen.push(`a:${i.level}`));
    add(() => {
      throw new Error('broken listener');
    });
    add((i) => seen.push(`c:${i.level}`));
    call(warm);
    remove();
    call(warm);
    expect(seen).toEqual(['a:warm', 'c:warm', 'c:warm']);
    expect(errors.map(String)).toEqual(['Error: broken listener', 'Error: broken listener']);
  });

  it('refuses a listener that is not a function, naming the fix', () => {
    const [add] = createIntentListeners(() => {});
    expect(() => add('chat' as never)).toThrow('onIntent() needs a function');
  });
});
