import type { Touch } from '../wire.js';

/** Where a visit came from, as a class: the `<source>_visits` features. */
export type TrafficSource = 'search' | 'social' | 'email' | 'paid' | 'referral' | 'direct';

// Social networks, by host or utm_source. Search engines need no list: the browser already gives a visit from
// one the medium `organic`.
const SOCIAL = /facebook|instagram|linkedin|lnkd|twitter|^(t|x)\.co|reddit|youtube|tiktok|pinterest|bsky|mastodon/;

/**
 * The class of a visit's source, from the `lastTouch` the browser sends on `visit_start` (UTM first, then the
 * referrer's host, own-site referrers already left out, `organic` for a search engine): `paid` (a cpc / ppc /
 * display medium), `email` (an email or newsletter medium or source, or a webmail host), `social` (a social medium
 * or network), `search` (an organic or search medium), `direct` (no source), else `referral`.
 *
 * @example
 * getTrafficSource({ source: 'www.google.com', medium: 'organic' }); // 'search'
 */
export function getTrafficSource(touch: Touch): TrafficSource {
  const medium = touch.medium.toLowerCase();
  const source = touch.source.toLowerCase();
  return /cp[acmv]|ppc|paid|display/.test(medium)
    ? 'paid'
    : /mail|newsletter/.test(medium + ' ' + source)
      ? 'email'
      : /social/.test(medium) || SOCIAL.test(source)
        ? 'social'
        : /organic|search/.test(medium)
          ? 'search'
          : source == '(direct)'
            ? 'direct'
            : 'referral';
}
