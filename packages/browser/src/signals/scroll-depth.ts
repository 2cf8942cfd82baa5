import { programmatic } from '../lib/programmatic.js';

export interface ScrollDepth {
  /** Deepest point seen as a fraction (0 to 1, two decimals) of the document's height now. */
  _get(): number;
  /** Starts over for a new page view. */
  _reset(): void;
  _stop(): void;
}

// Every twentieth of the document: a callback every 5% scrolled (every hundredth was a callback every other
// wheel tick on a long article), and the depth is measured again when read, to two decimals.
const STEPS = [...Array(21).keys()].map((i) => i / 20);

/**
 * Tracks the deepest point seen: the bottom edge of the viewport (or of `root`, for sites that scroll
 * inside a container). The pixel depth is kept and divided by the height when read, so a document that
 * grows as images load or content streams in is measured against its real height.
 *
 * No scroll listener: an IntersectionObserver watches `<html>` (or the container's children) through a
 * root stretched upwards without end, so the share it sees grows with the depth scrolled, and the browser
 * calls back at each twentieth crossed, after a frame, when reading the scroll position costs no layout.
 * Nothing runs while the page is hidden (no frames then). Needs IntersectionObserver (every browser since 2019).
 */
export function onScrollDepth(root: string | Element | undefined): ScrollDepth {
  let maxPx = 0;
  let observer: IntersectionObserver | undefined;
  // A selector is looked up at each page view: an async script may start before the element is parsed. Only a
  // program can give an element; a script tag gives a selector or nothing (never '', which start-up refuses).
  const find = () =>
    programmatic && typeof root != 'string' ? root : ((root && document.querySelector(root as string)) as Element | null | undefined);
  const el = () => find() ?? document.scrollingElement ?? document.documentElement;
  // The document's scrolling element is as high as the viewport (without a horizontal scrollbar).
  const measure = () => {
    const e = el();
    maxPx = Math.max(maxPx, e.scrollTop + e.clientHeight);
  };
  const self: ScrollDepth = {
    // Measured here too: where the reader is now, and a page view read before its first frame (nothing seen yet).
    _get: () => (measure(), Math.min(1, Math.round((100 * maxPx) / Math.max(1, el().scrollHeight)) / 100)),
    _reset() {
      maxPx = 0;
      self._stop();
      // No container (undefined, as WebIDL takes it, or null): the viewport is the root.
      const container = find();
      observer = new IntersectionObserver(measure, {
        root: container as Element | null,
        rootMargin: '999999px 0px 0px',
        threshold: STEPS,
      });
      // Each target is reported once after the next frame too: the new page view's first depth.
      for (const e of container ? container.children : [document.documentElement]) observer.observe(e);
    },
    _stop: () => observer?.disconnect(),
  };
  return self;
}
