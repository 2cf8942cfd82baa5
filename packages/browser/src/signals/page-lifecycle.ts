import type { Navigation } from '@inkling/core';
import { listen } from '../lib/listen.js';
import type { PageViews } from './page-views.js';
import type { Visits } from './visits.js';
import { now } from '../lib/now.js';

/**
 * Ends, holds and restarts page views as the page is hidden, shown, left, frozen and restored (Page
 * Lifecycle API, back/forward cache). A hidden page may be only a tab switch: its engagement is stored but
 * held back, replaced if the page is shown again and sent once, when the page view ends. The visitor state
 * is saved each time, so other tabs judge the visit by this one's activity. Returns a function that ends
 * the page view, sends what it can and removes the listeners; `quiet` (consent was refused) only removes them.
 *
 * @param start - starts a page view (when page views are automatic)
 * @param getVisits - the visits, while consent allows them: a page shown after the visit timed out is seen
 *   anew, as a new visit
 * @param flush - sends what can be sent; with `unload`, as requests that outlive the page
 */
export function onPageLifecycle(
  pages: PageViews,
  start: (nav: Navigation) => void,
  getVisits: () => Visits | undefined,
  flush: (unload?: boolean, next?: boolean) => unknown,
): (quiet?: boolean) => void {
  // pagehide came while the page was visible: the visibilitychange that follows ends the page view.
  let leaving = false;
  // Where the page is going, when the browser says (the Navigation API's navigate event, on following a link).
  let destination = '';
  let frozen = false;
  const hide = () => {
    pages._end(true);
    getVisits()?._save();
  };
  // The page is gone, or may be (frozen pages can be discarded without another event): end the page view.
  // Left for another page of this origin, what is queued is handed over to that page rather than sent.
  const gone = () => {
    pages._end();
    getVisits()?._save();
    flush(true, leaving && destination.startsWith(location.origin + '/'));
    leaving = false;
  };
  const stops = [
    // An SPA's own route change (pushState) is a navigate event too, but the page stays: only a new document counts.
    listen(window.navigation ?? document, 'navigate', (e) => {
      const to = (e as NavigateEvent).destination;
      destination = to.sameDocument ? '' : to.url;
    }),
    listen(document, 'visibilitychange', () => {
      if (!document.hidden) {
        getVisits()?._expired(now()) ? start('resume') : pages._resume();
        flush();
      } else if (leaving) gone();
      else {
        hide();
        flush(true);
      }
    }),
    // Never `unload` or `beforeunload`: they keep pages out of the back/forward cache.
    // Leaving by a link, Chrome fires pagehide while the page is still visible, then visibilitychange: the view
    // ends there, after web-vitals has reported its last values (on hidden). Held until then, in case it never comes.
    listen(window, 'pagehide', () => (document.hidden ? gone() : ((leaving = true), hide()))),
    listen(window, 'pageshow', (e) => {
      leaving = false;
      destination = '';
      if ((e as PageTransitionEvent).persisted) start('bfcache');
    }),
    // Chrome freezes background tabs and may discard them without another event (Page Lifecycle API).
    // A page entering the back/forward cache is frozen too, after its view ended: it restarts
    // on pageshow, not on resume.
    listen(document, 'freeze', () => {
      frozen = !!pages._page();
      gone();
    }),
    listen(document, 'resume', () => frozen && start('resume')),
  ];
  return (quiet) => {
    if (!quiet) gone();
    stops.forEach((stop) => stop());
  };
}
