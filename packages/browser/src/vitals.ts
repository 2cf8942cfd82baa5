/**
 * Core Web Vitals (LCP, INP, CLS) attached to each page view's `page_engagement`, so slow pages that lose
 * readers are visible. Optional: `web-vitals` costs about 2.5 KB gzip, so it lives in its own module
 * (`@inkling/browser/vitals`) and its own script (`inkling.vitals.min.js`).
 *
 * @example
 * import { createTracker } from '@inkling/browser';
 * import { trackVitals } from '@inkling/browser/vitals';
 * trackVitals(createTracker({ endpoint: '/i' }));
 */
import type { Vitals } from '@inkling/core';
import { onCLS, onINP, onLCP } from 'web-vitals';

/** Reports every change of LCP, INP and CLS to `tracker.vitals()`; the last values before a page view ends are sent. */
export function trackVitals(tracker: { vitals(values: Vitals): void }): void {
  const options = { reportAllChanges: true };
  onLCP((m) => tracker.vitals({ lcp: Math.round(m.value) }), options);
  onINP((m) => tracker.vitals({ inp: Math.round(m.value) }), options);
  onCLS((m) => tracker.vitals({ cls: Math.round(m.value * 1e4) / 1e4 }), options);
}
