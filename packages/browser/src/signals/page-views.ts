import { LIMITS } from '@inkling/core';
import type { EventPropsMap, EventType, Navigation, PageInfo, Vitals } from '@inkling/core';
import { listen } from '../lib/listen.js';
import { scrubText, scrubUrl } from '../privacy/scrub.js';
import { watchArticle } from './article-read.js';
import type { ArticleWatch } from './article-read.js';
import { createEngagement } from './engagement.js';
import { getPageKind } from './page-kind.js';
import { onScrollDepth } from './scroll-depth.js';
import { getPageTopics } from './topics.js';
import type { TopicDropReason } from './topics.js';
import { now } from '../lib/now.js';

/** How a signal hands an event to whoever delivers it. Returns the event's id. */
export type Emit = <T extends EventType>(
  type: T,
  props: EventPropsMap[T],
  options?: { id?: string | undefined; _hold?: boolean | undefined; page?: PageInfo | undefined; _landing?: [string, string] | undefined },
) => string;

/** Internal members start with `_`: the script-tag build mangles them. */
export interface PageViewOptions {
  _rules: Array<[string, RegExp]>;
  _articles: string;
  _scrollRoot: string | Element | undefined;
  _scrub: (name: string) => boolean;
  /** The site's topic path rules, compiled like the kind rules. */
  _topics: Array<[string, RegExp]>;
  /** Counts a topic left out. */
  _count: (reason: TopicDropReason) => void;
  _emit: Emit;
  /** Takes back a held event. */
  _remove: (id: string) => void;
  /** Called on every interaction (after it is counted). */
  _activity: (t: number) => void;
}

export interface PageViews {
  /** Ends the current page view, if any, and starts one. */
  _start(nav: Navigation): void;
  /** Ends the page view, sending its engagement; `hold` keeps it provisional (the page was only hidden). */
  _end(hold?: boolean): void;
  /** The page is visible again: the provisional engagement is taken back and the page view goes on. */
  _resume(): void;
  /** The current page, or undefined between page views. */
  _page(): PageInfo | undefined;
  /** The path of the current URL, scrubbed: a change means an SPA navigation. */
  _path(): string;
  _vitals(vitals: Vitals): void;
  _stop(): void;
}

// Interactions that show a person is there. Listeners are passive. Not `scroll`: every scroll a person makes
// starts with one of these (a wheel, a key, a touch, a drag), and a scroll event costs a listener call per frame.
const INTERACTIONS = ['pointerdown', 'keydown', 'wheel', 'touchstart', 'pointermove'];
// Scrolling and moving fire up to 60 times a second: a timestamp every 250 ms keeps engaged time exact to a
// quarter second, and the rest (extending the visit, looking at the article) runs once a second.
const HIT_INTERVAL_MS = 250;
const ACTIVITY_INTERVAL_MS = 1000;

/**
 * One page view at a time, with its engaged and attentive time, scroll depth and qualified read. Nothing
 * listens before the first page view starts (consent refused: nothing at all), nor after `_stop()`, until
 * the next one.
 */
export function createPageViews(o: PageViewOptions): PageViews {
  const gate = () => document.visibilityState == 'visible' && document.hasFocus();
  const engagement = createEngagement(gate(), now());
  // Nothing observed until the first page view's `_reset()`.
  const depth = onScrollDepth(o._scrollRoot);
  let article: ArticleWatch | undefined;
  let page: PageInfo | undefined;
  let pageViewId = '';
  let engagementId: string | undefined;
  let vitals: Vitals | undefined;
  let href = '';
  let lastHit = 0;
  let lastActivity = 0;

  const hit = () => {
    const t = now();
    if (t - lastHit < HIT_INTERVAL_MS) return;
    lastHit = t;
    engagement._hit(t);
    if (!engagement._open || t - lastActivity < ACTIVITY_INTERVAL_MS) return;
    lastActivity = t;
    o._activity(t);
    // An article rendered late (a single-page app) is found here; a read qualifies here at the latest.
    article?._check();
  };
  const onGate = () => {
    engagement._gate(gate(), now());
    if (engagement._open) article?._check();
    else article?._pause();
  };
  let stops: Array<() => void> = [];

  const self: PageViews = {
    _start(nav) {
      self._end();
      if (!stops[0]) {
        stops = [
          ...INTERACTIONS.map((type) => listen(window, type, hit, true)),
          listen(window, 'focus', onGate),
          listen(window, 'blur', onGate),
          listen(document, 'visibilitychange', onGate),
          depth._stop,
        ];
        onGate();
      }
      const from = nav == 'load' ? document.referrer : nav == 'spa' ? href : '';
      const referrer = from && scrubUrl(from, o._scrub);
      href = location.href;
      page = { path: self._path(), kind: getPageKind(location.pathname, o._rules) };
      const title = scrubText(document.title).slice(0, LIMITS.MAX_TEXT_CHARS);
      if (title) page.title = title;
      if (referrer) page.referrer = referrer;
      engagement._reset(now());
      depth._reset();
      vitals = engagementId = undefined;
      // Read again at every page view: an SPA route changes them with the URL.
      const topics = getPageTopics(location.pathname, o._topics, o._count);
      pageViewId = o._emit('page_view', topics ? { nav, topics } : { nav }, { page, _landing: [href, nav == 'load' ? referrer : ''] });
      const viewId = pageViewId;
      const viewPage = page;
      article = watchArticle(
        o._articles,
        () => engagement._read(now())[1],
        ({ words, expectedMs }, attentiveMs) => {
          const props: EventPropsMap['article_read'] = {
            pageViewId: viewId,
            words,
            expectedMs,
            attentiveMs,
            readRatio: Math.round((100 * attentiveMs) / Math.max(1, expectedMs)) / 100,
            scrollDepth: depth._get(),
          };
          if (topics) props.topics = topics;
          o._emit('article_read', props, { page: viewPage });
        },
      );
    },
    _end(hold) {
      if (!page) return;
      const [engagedMs, attentiveMs] = engagement._read(now());
      const props: EventPropsMap['page_engagement'] = { pageViewId, engagedMs, attentiveMs, scrollDepth: depth._get() };
      if (vitals) props.vitals = vitals;
      // The same id each time: a provisional engagement replaces the last one and is replaced by the final one.
      engagementId = o._emit('page_engagement', props, { id: engagementId, _hold: !!hold, page });
      if (hold) return;
      article?._stop();
      page = undefined;
    },
    _resume() {
      if (page && engagementId) o._remove(engagementId);
    },
    _page: () => page,
    _path: () => scrubUrl(location.href, o._scrub, true),
    _vitals(v) {
      vitals = { ...vitals, ...v };
    },
    _stop() {
      stops.splice(0).forEach((stop) => stop());
      article?._stop();
    },
  };
  return self;
}
