import type { Touch } from '../wire.js';

/** Where a visit came from, as a class: the `<source>_visits` features. */
export type TrafficSource = 'search' | 'social' | 'email' | 'paid' | 'referral' | 'direct';

// Hosts and utm_source values, matched on a whole label: "google" and "www.google.co.uk", not "googlefan.net".
const SEARCH = /(^|\.)(google|bing|duckduckgo|yahoo|baidu|yandex|ecosia|qwant|startpage|naver|seznam)(\.|$)/;
const SOCIAL = /(^|\.)(facebook|fb|instagram|linkedin|lnkd|twitter|x|t|reddit|youtube|tiktok|pinterest|threads|bsky|mastodon)(\.|$)/;

/**
 * The class of a visit's source, from the `lastTouch` the browser sends on `visit_start` (UTM first, then the
 * referrer's host, own-site referrers already left out): `paid` (a cpc / ppc / display medium), `email` (an email
 * or newsletter medium, or a webmail host), `social` (a social medium or network), `search` (organic, or a search
 * engine), `direct` (no source), else `referral`.
 *
 * @example
 * getTrafficSource({ source: 'www.google.com', medium: 'organic' }); // 'search'
 */
export function getTrafficSource(touch: Touch): TrafficSource {
  const medium = touch.medium.toLowerCase();
  const source = touch.source.toLowerCase();
  return /cp[acmv]|ppc|paid|display|banner/.test(medium)
    ? 'paid'
    : /mail|newsletter/.test(medium) || /^(mail|outlook|webmail)\.|newsletter/.test(source)
      ? 'email'
      : /social/.test(medium) || SOCIAL.test(source)
        ? 'social'
        : /organic|search/.test(medium) || SEARCH.test(source)
          ? 'search'
          : source == '(direct)'
            ? 'direct'
            : 'referral';
}
