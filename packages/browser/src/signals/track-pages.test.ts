import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resolveOptions } from '../options.js';
import type { Visitor } from '../visitor.js';
import { compileKindRules, DEFAULT_KIND_RULES } from './page-kind.js';
import type { Emit } from './page-views.js';
import { createPageTracking } from './track-pages.js';

const task = () => new Promise((r) => setTimeout(r, 5));

let halts: Array<() => void> = [];
afterEach(() => {
  halts.forEach((halt) => halt());
  halts = [];
});
beforeEach(() => history.replaceState(null, '', '/pricing'));

const tracking = (options: Record<string, unknown> = {}) => {
  const o = resolveOptions({ endpoint: 'https://collect.example.com/i', site: 'test', ...options });
  const flush = vi.fn(async () => {});
  const visitor = { _visits: undefined, _count: () => {}, _remove: () => {}, _flush: flush } as unknown as Visitor;
  const emitted: Array<[string, unknown]> = [];
  const emit: Emit = (type, props) => (emitted.push([type, type === 'page_view' ? props : undefined]), `id-${emitted.length}`);
  const [pages, run, halt, page] = createPageTracking(o, compileKindRules({}, DEFAULT_KIND_RULES), visitor, emit);
  halts.push(() => halt(true));
  return { pages, run, halt, page, emitted, flush };
};

describe('createPageTracking', () => {
  it('does nothing until run: no page view, and page() starts none', () => {
    const { page, emitted } = tracking();
    page();
    history.pushState(null, '', '/blog');
    expect(emitted).toEqual([]);
  });

  it('starts a page view on run, and one per SPA navigation to another page', async () => {
    const { run, emitted } = tracking();
    run();
    expect(emitted).toEqual([['page_view', { nav: 'load' }]]);
    history.pushState(null, '', '/blog/close');
    await task();
    expect(emitted.slice(1)).toEqual([
      ['page_engagement', undefined],
      ['page_view', { nav: 'spa' }],
    ]);
    history.replaceState(null, '', '/blog/close');
    await task();
    expect(emitted).toHaveLength(3);
  });

  it('starts a page view by hand only while tracking, and none by itself with autoPageViews: false', async () => {
    const { run, halt, page, emitted } = tracking({ autoPageViews: false });
    run();
    history.pushState(null, '', '/blog');
    await task();
    expect(emitted).toEqual([]);
    page();
    expect(emitted).toEqual([['page_view', { nav: 'spa' }]]);
    halt();
    page();
    expect(emitted.map(([type]) => type)).toEqual(['page_view', 'page_engagement']);
  });

  it('on halt ends the page view and stops listening; sends on the way out unless quiet', async () => {
    const first = tracking();
    first.run();
    first.halt();
    expect(first.emitted.map(([type]) => type)).toEqual(['page_view', 'page_engagement']);
    expect(first.flush).toHaveBeenCalledWith(true, false);
    history.pushState(null, '', '/blog');
    await task();
    expect(first.emitted).toHaveLength(2);

    const quiet = tracking();
    quiet.run();
    quiet.halt(true);
    expect(quiet.emitted.map(([type]) => type)).toEqual(['page_view', 'page_engagement']);
    expect(quiet.flush).not.toHaveBeenCalled();
  });
});
