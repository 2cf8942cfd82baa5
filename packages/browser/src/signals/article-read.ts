import { getReadingTime } from './reading-time.js';
import type { ReadingTime } from './reading-time.js';

// The article's end is the last of its last this many elements that has a size (else the article itself).
const LAST_ELEMENTS = 50;

export interface ArticleWatch {
  /** Looks again: finds the article if it rendered late, and emits the read if it now qualifies. */
  _check(): void;
  /** The page was hidden: no timers until the next check. */
  _pause(): void;
  _stop(): void;
}

/**
 * Watches for a qualified read of the page's article: its end became visible AND attentive time reached
 * max(30 s, 0.35 x expected read time). Calls `onRead` once, the moment it qualifies, so a tab killed
 * right after still counts it. The end is the last element of the article that has a size (among its last
 * 50), seen by an IntersectionObserver; nothing is added to the page's DOM (frameworks own it).
 *
 * Nothing is looked for at start-up: the article is found at the first `_check()` (the page view's first
 * interaction, or focus coming back), and its words are counted when its end is first seen. A read needs
 * 30 s of attentive time at least, so what waiting misses is a short article read for 30 s and more without a
 * single scroll, key, touch or pointer move; in exchange a page left untouched costs no article work at all.
 *
 * @param attentive - reads the page view's attentive time now
 */
export function watchArticle(
  selector: string,
  attentive: () => number,
  onRead: (reading: ReadingTime, attentiveMs: number) => void,
): ArticleWatch {
  let article: Element | null = null;
  let reading: ReadingTime | undefined;
  let seen = false;
  let done = false;
  let last = -1;
  let observer: IntersectionObserver | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const find = () => {
    // An async script may run while the page is still parsed: a half-parsed article has the wrong length and end.
    if (article || document.readyState == 'loading' || !(article = document.querySelector(selector))) return;
    // The end is told by the observer's first report on the article's last elements, not by reading their
    // size here (that would lay out the whole article on the load path).
    const tail = [...article.querySelectorAll('*')].slice(-LAST_ELEMENTS);
    let end: Element | undefined;
    observer = new IntersectionObserver((entries) => {
      if (!end) {
        const sized = new Set(entries.filter((e) => e.boundingClientRect.height > 0).map((e) => e.target));
        end = tail.reverse().find((e) => sized.has(e)) ?? article!;
        observer!.disconnect();
        // Observed anew: its first report says whether the end is already in view.
        return observer!.observe(end);
      }
      if (!entries.some((e) => e.isIntersecting)) return;
      seen = true;
      observer!.disconnect();
      self._check();
    });
    tail.forEach((e) => observer!.observe(e));
    if (!tail[0]) observer.observe((end = article));
  };

  const self: ArticleWatch = {
    _check() {
      clearTimeout(timer);
      if (done) return;
      find();
      if (!seen) return;
      const ms = attentive();
      // Counted once the end was seen, never on the load path: a long article's text is the costliest read here.
      reading ??= getReadingTime(article!);
      if (ms >= reading.neededMs) {
        done = true;
        onRead(reading, ms);
      } else if (ms != last && document.visibilityState == 'visible') {
        // Attentive time is still growing: look again when it could qualify. When it stops growing (idle),
        // the next interaction looks again instead, so an idle page runs no timer. Rounded up to whole ms: a
        // fake clock fires at the exact delay, and a fraction would reach Date.now() and the read's props.
        timer = setTimeout(self._check, Math.ceil(reading.neededMs - ms));
      }
      last = ms;
    },
    _pause: () => clearTimeout(timer),
    _stop() {
      done = true;
      clearTimeout(timer);
      observer?.disconnect();
    },
  };
  return self;
}
