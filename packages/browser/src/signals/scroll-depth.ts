import { listen } from '../lib/listen.js';

export interface ScrollDepth {
  /** Deepest point seen as a fraction (0 to 1, two decimals) of the document's height now. */
  _get(): number;
  /** Starts over for a new page view. */
  _reset(): void;
  _stop(): void;
}

/**
 * Tracks the deepest point seen: the bottom edge of the viewport (or of `root`, for sites that scroll
 * inside a container). The pixel depth is kept and divided by the height when read, so a document that
 * grows as images load or content streams in is measured against its real height. Scroll events only
 * schedule one read per animation frame; nothing runs while the page is hidden (no frames then).
 */
export function onScrollDepth(root: string | Element | undefined): ScrollDepth {
  let maxPx = 0;
  let frame = 0;
  // A selector is looked up when measuring: an async script may start before the element is parsed.
  const find = () => (typeof root == 'string' ? document.querySelector(root) : root);
  const el = () => find() ?? document.scrollingElement ?? document.documentElement;
  const measure = () => {
    frame = 0;
    const e = el();
    maxPx = Math.max(maxPx, e.scrollTop + (find() ? e.clientHeight : innerHeight));
  };
  const schedule = () => {
    frame ||= requestAnimationFrame(measure);
  };
  const stops = [listen(window, 'scroll', schedule, true), listen(window, 'resize', schedule)];
  measure();
  return {
    _get: () => Math.min(1, Math.round((100 * maxPx) / Math.max(1, el().scrollHeight)) / 100),
    _reset() {
      maxPx = 0;
      measure();
    },
    _stop() {
      stops.forEach((stop) => stop());
      cancelAnimationFrame(frame);
    },
  };
}
