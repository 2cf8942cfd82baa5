// Its own module so that the profile and the features it folds can both read it without importing each other.
/**
 * Days of history a profile keeps, its newest day included (and a score counts, `nowMs`'s day included). At the
 * default 30-day half-life a signal this old weighs 1/64 of a fresh one; dropping it keeps the persisted
 * profile small (at most 180 day buckets) and the server's work per visitor bounded.
 */
export const HORIZON_DAYS = 180;
