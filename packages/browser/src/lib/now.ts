/** The clock's reading, as `Date.now()` gives it: one short name for the many places that read it. */
export const now = (): number => Date.now();
