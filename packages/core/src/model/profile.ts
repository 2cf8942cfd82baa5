import type { AnyEvent, ArticleReadProps, PageEngagementProps, TrackProps, VisitStartProps } from '../wire.js';
import { DEFAULT_MODEL } from './default-model.js';
import { RECORDED_KINDS } from './feature-names.js';
import { foldFeatures } from './fold-features.js';
import { scoresKind } from './own-kinds.js';
import type { Model, Profile } from './types.js';
import { DAY_MS } from '../time.js';
import { HORIZON_DAYS } from './horizon.js';

/**
 * A new, empty profile.
 *
 * @example
 * const profile = createProfile();
 * for (const event of events) applyEvent(profile, event);
 */
export function createProfile(): Profile {
  return { v: 1, d: {} };
}

/**
 * Folds one event into `profile` (mutating it). The result is the same whatever order events arrive in.
 * Ignores `intent` events (a client's own score is never trusted), `forget`, `identify`, `track` events that
 * are not one of the model's conversions, and events older than {@link HORIZON_DAYS} before the newest.
 * Apply each event once: the receiver dedupes on event id before scoring.
 *
 * @param model Decides which `track` names are conversions and which of a site's own page kinds are kept;
 * pass the model you score with. @default DEFAULT_MODEL
 * @example
 * applyEvent(profile, event, model);
 * const intent = scoreProfile(profile, model, Date.now());
 */
export function applyEvent(profile: Profile, event: AnyEvent, model: Model = DEFAULT_MODEL): void {
  const d = profile.d;
  const day = Math.floor(Date.parse(event.ts) / DAY_MS);
  const newest = Math.max(...Object.keys(d).map(Number));
  // `!(a > b)` also rejects an unparseable date (NaN).
  if (!(day > newest - HORIZON_DAYS)) return;
  const add = (key: string, n = 1): void => {
    if (n > 0) {
      const bucket = (d[day] ??= {});
      bucket[key] = (bucket[key] ?? 0) + n;
    }
  };
  // Every profile records the kinds that have a feature (`pricing_views`), so the features do not depend on
  // the model that built it, and a site's own kind when the model gives it points (`webinar_views`). Other
  // kinds count as `other`, which keeps a profile bounded (and so does `page`, see scoresKind).
  let kind = event.page.kind;
  if (!(RECORDED_KINDS.test(kind) || scoresKind(model, kind))) kind = 'other';
  const props = event.props as Partial<PageEngagementProps & VisitStartProps & TrackProps & ArticleReadProps>;
  // Whole seconds: integer sums are exact, so the profile does not depend on the order of additions.
  const seconds = Math.round((props.attentiveMs ?? 0) / 1e3);
  const type = event.type;
  if (type == 'page_view') add('p:' + kind);
  if (type == 'page_engagement') add('t:' + kind, seconds);
  foldFeatures(add, event, kind);
  if (type == 'article_read') {
    add('r');
    add('q', seconds);
  }
  // Topics ride on page views and reads only; an engagement's minutes are not split by topic, because joining
  // it to its page view's topics would make the profile depend on the order events arrived in.
  for (const topic of ((type == 'page_view' || type == 'article_read') && props.topics) || []) {
    if (type == 'page_view') add('tv:' + topic);
    else {
      add('tr:' + topic);
      add('tq:' + topic, seconds);
    }
  }
  if (type == 'visit_start') {
    add('v');
    // A known visitor back within 7 days (Marketo's "2 visits in a week").
    if (props.visit! > 1 && (props.daysSinceLast ?? 8) <= 7) add('w');
  }
  if (type == 'track' && Object.hasOwn(model.conversions, props.name!)) add('c:' + props.name);
  // Only a day that got a bucket moves the horizon: an event that adds nothing (an identify) must not drop old days,
  // or the profile would depend on the order events arrived in.
  if (day > newest && d[day]) for (const key in d) if (+key <= day - HORIZON_DAYS) delete d[key];
}
