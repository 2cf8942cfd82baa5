import { getReadingTime } from './reading-time.js';
import type { ReadingTime } from './reading-time.js';

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
 * right after still counts it. The end is the last element of the article that has a size, seen by an
 * IntersectionObserver; nothing is added to the page's DOM (frameworks own it).
 *
 * @param attentive - reads the page view's attentive time now
 */
export function watchArticle(
  selector: string,
  attentive: () => number,
  onRead: (reading: ReadingTime, attentiveMs: number) => void,
): ArticleWatch {
  let article: Element | null = null;
  let reading: ReadingTime;
  let seen = false;
  let done = false;
  let last = -1;
  let observer: IntersectionObserver | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const find = () => {
    // An async script may run while the page is still parsed: a half-parsed article has the wrong length and end.
    if (article || document.readyState == 'loading' || !(article = document.querySelector(selector))) return;
    reading = getReadingTime(article);
    let end = article;
    const all = article.querySelectorAll('*');
    for (let i = all.length; i--;) {
      if (all[i]!.getBoundingClientRect().height > 0) {
        end = all[i]!;
        break;
      }
    }
    observer = new IntersectionObserver((entries) => {
      if (!entries.some((e) => e.isIntersecting)) return;
      seen = true;
      observer!.disconnect();
      self._check();
    });
    observer.observe(end);
  };

  const self: ArticleWatch = {
    _check() {
      clearTimeout(timer);
      if (done) return;
      find();
      if (!seen) return;
      const ms = attentive();
      if (ms >= reading.neededMs) {
        done = true;
        onRead(reading, ms);
      } else if (ms !== last && document.visibilityState === 'visible') {
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
  if (document.readyState == 'loading') addEventListener('DOMContentLoaded', self._check, { once: true });
  else self._check();
  return self;
}
