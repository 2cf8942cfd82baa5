/**
 * Lock names (per origin): each live tab holds its own lifetime lock, named with this prefix and the tab's id
 * (visitor.ts takes it), so a queue can tell a live tab's events from those of a tab that was closed or crashed;
 * adopting orphans is exclusive (adopt.ts).
 */
export const TAB_LOCK_PREFIX = 'inkling:tab:';
