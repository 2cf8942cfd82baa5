import type { AnyEvent, PageEngagementProps, VisitStartProps } from '../wire.js';
import { HORIZON_DAYS } from './horizon.js';
import { getTrafficSource } from './traffic-source.js';
import type { Profile } from './types.js';

/**
 * Folds what only the calibrate features read (bounces, article engagement and scroll depth, traffic source, days
 * between visits) into a profile's day bucket through `add`. The default points model scores none of it, and the
 * script tag can only run the default model (a calibrated model is an npm option), so the script-tag build leaves
 * this module out (`rollup.config.mjs`): the receiver and the npm build fold it all.
 */
export function foldFeatures(add: (key: string, n?: number) => void, event: AnyEvent, kind: string): void {
  const props = event.props as Partial<PageEngagementProps & VisitStartProps>;
  if (event.type == 'page_view') {
    // Pages of this visit (its id's tail is enough to tell a day's visits apart): one page is a bounce.
    add('s:' + event.session.slice(-8));
  }
  if (event.type == 'page_engagement' && kind == 'article') {
    add('e', Math.round(props.engagedMs! / 1e3));
    // Scroll depth in whole percent, and the pages it was measured on, for the average.
    add('d', Math.round(props.scrollDepth! * 100));
    add('a');
  }
  if (event.type == 'visit_start') {
    if (props.lastTouch) add('f:' + getTrafficSource(props.lastTouch));
    // Returns with a known gap, and the days of those gaps, for the average.
    if (props.daysSinceLast != null) {
      add('n');
      add('y', props.daysSinceLast);
    }
  }
}

/**
 * The signal a bucket key folded here is summed under in a day's summary: a traffic source's visits (`f:organic`
 * is `organic_visits`) and the article engagement (`e`); undefined for any other key. Only the calibrate features
 * read them: the script-tag build leaves this out with the rest of the module.
 */
export const foldedSignal = (prefix: string, kind: string, key: string): string | undefined =>
  prefix == 'f' ? kind + '_visits' : key == 'e' ? 'article_engaged_minutes' : undefined;

/** Whether a bucket key counts a bounce, for the calibrate features: a session (`s:…`) of one page view. */
export const isBounce = (prefix: string, n: number): boolean => prefix == 's' && n == 1;

/**
 * Adds the features that are not sums to decayed sums: `days_since_last_seen` (whole days since the newest day of
 * `profile`, as of `today`, held to HORIZON_DAYS), and the averages of decayed sums, so recent visits weigh more
 * here too; 0 when there is nothing to average. Bucket keys without a feature of their own (`d` scroll percent over
 * `a` article engagements, `y` days over `n` timed returns) are summed under their own names.
 */
export function addFeatureRatios(decayed: Record<string, number>, profile: Profile, today: number): void {
  // A day beyond the horizon is 180 days old or more, so the least age is the same with it or without it.
  decayed['days_since_last_seen'] = Math.min(HORIZON_DAYS, ...Object.keys(profile.d).map((day) => Math.max(0, today - +day)));
  const ratio = (name: string, sum: string, count: string, unit = 1): number =>
    (decayed[name] = (decayed[sum] ?? 0) / unit / (decayed[count] || 1));
  ratio('pages_per_visit', 'page_views', 'visits');
  ratio('article_scroll_depth', 'd', 'a', 100);
  ratio('days_between_visits', 'y', 'n');
}
