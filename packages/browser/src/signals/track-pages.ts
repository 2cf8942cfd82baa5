import type { Navigation } from '@inkling/core';
import type { ResolvedOptions } from '../options.js';
import { compileScrubParams } from '../privacy/scrub.js';
import type { Visitor } from '../visitor.js';
import { onHistoryChange } from './history-change.js';
import { onPageLifecycle } from './page-lifecycle.js';
import { compileKindRules } from './page-kind.js';
import { createPageViews } from './page-views.js';
import type { Emit, PageViews } from './page-views.js';

/**
 * The page views, and tracking proper: a page view with the page's load, one per single-page-app navigation and
 * the page lifecycle's (see `onPageLifecycle`), never while consent is refused. Returns, in order:
 * - `pages`: the page views;
 * - `run()`: starts tracking, with this page's view;
 * - `halt(quiet?)`: ends the page view and removes every listener; `quiet` (consent was refused): nothing is
 *   saved or sent on the way out;
 * - `page()`: starts a page view by hand, while tracking.
 */
export function createPageTracking(o: ResolvedOptions, rules: Array<[string, RegExp]>, visitor: Visitor, emit: Emit) {
  // With `autoPageViews: false`, only `page()` starts one.
  const start = (how: Navigation) => o.autoPageViews !== false && pages._start(how);
  const pages: PageViews = createPageViews({
    _rules: rules,
    _articles: o.articles,
    _scrollRoot: o.scrollRoot,
    _scrub: compileScrubParams(o.scrubParams),
    _topics: compileKindRules(o.topics ?? {}),
    _count: visitor._count,
    _emit: emit,
    _remove: visitor._remove,
    _activity(t) {
      if (!visitor._visits?._expired(t)) visitor._visits?._touch(t);
      // Back after the visit timed out, on a page left open: a new visit, seeing this page anew.
      else if (pages._page()) start('resume');
    },
  });
  let stop: ((quiet?: boolean) => void) | undefined;

  const run = () => {
    // A navigation to the page already viewed (a replaceState of its query, scrubbed away) is not a new view.
    const stopNavigation = onHistoryChange(() => pages._path() === pages._page()?.path || start('spa'));
    const leave = onPageLifecycle(pages, start, () => visitor._visits, visitor._flush);
    start('load');
    stop = (quiet) => {
      pages._end();
      leave(quiet);
      stopNavigation();
      pages._stop();
    };
  };
  const halt = (quiet?: boolean) => {
    stop?.(quiet);
    stop = undefined;
  };

  return [pages, run, halt, () => void (stop && pages._start('spa'))] as const;
}
