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
 * - `page_minutes`: attentive minutes on any page
 * - `visits`: visits; `return_visits`: visits back within 7 days of the previous one
 * - `days_active`: days with any activity
 * - `conversions`: `track` events named in the model's `conversions`
 * - `days_since_last_seen`: whole days since the last active day (not decayed; 180 when never seen)
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
  'visits',
  'return_visits',
  'days_active',
  'conversions',
  'days_since_last_seen',
] as const;
