/**
 * The features of a visitor: the columns of the calibrate CSV, the inputs of a `logistic` model, and the
 * signals a `points` model gives points to. Counts and minutes are decayed like points
 * (`2^(-age / halfLifeDays)` per UTC day), over the last 180 days.
 *
 * - `page_views`: pages viewed, any kind
 * - `article_views`, `pricing_views`, `docs_views`, `case_study_views`, `comparison_views`, `contact_views`,
 *   `careers_views`: views of pages of that kind
 * - `article_reads`: qualified reads (`article_read` events)
 * - `article_minutes`: attentive minutes on article pages
 * - `page_minutes`: attentive minutes on any page; `other_minutes`: on pages without a kind (`other`)
 * - `visits`: visits; `return_visits`: visits back within 7 days of the previous one
 * - `days_active`: days with any activity
 * - `conversions`: `track` events named in the model's `conversions`
 * - `days_since_last_seen`: whole days since the last active day (not decayed; 180 when never seen)
 * - `bounces`: visits with a single page view
 * - `pages_per_visit`: page views per visit
 * - `article_engaged_minutes`: engaged minutes on article pages (the 5-second idle window)
 * - `article_scroll_depth`: the average deepest scroll on article pages, 0 to 1
 * - `search_visits`, `social_visits`, `email_visits`, `paid_visits`, `referral_visits`, `direct_visits`: visits by
 *   the class of their source (`getTrafficSource`)
 * - `days_between_visits`: the average days between a return visit and the one before
 */
export const FEATURE_NAMES = [
  'page_views',
  'article_views',
  'article_reads',
  'article_minutes',
  'pricing_views',
  'docs_views',
  'case_study_views',
  'comparison_views',
  'contact_views',
  'careers_views',
  'page_minutes',
  'other_minutes',
  'visits',
  'return_visits',
  'days_active',
  'conversions',
  'days_since_last_seen',
  'bounces',
  'pages_per_visit',
  'article_engaged_minutes',
  'article_scroll_depth',
  'search_visits',
  'social_visits',
  'email_visits',
  'paid_visits',
  'referral_visits',
  'direct_visits',
  'days_between_visits',
] as const;

/**
 * The page kinds that have a `<kind>_views` feature, which every profile records. A pattern rather than a look-up
 * in {@link FEATURE_NAMES}, so the browser's script carries seven words, not every feature name (a test keeps the
 * two in step).
 */
export const RECORDED_KINDS = /^(article|pricing|docs|case-study|comparison|contact|careers)$/;
