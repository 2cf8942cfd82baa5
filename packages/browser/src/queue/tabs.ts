/** Lock names (per origin): each live tab holds its own lifetime lock; adopting orphans is exclusive. */
export const TAB_LOCK_PREFIX = 'inkling:tab:';

/**
 * Holds a Web Lock named after this tab for as long as the page lives (or until `release`), so other
 * tabs can tell a live tab's queued events from those of a tab that was closed or crashed: the browser
 * releases a dead tab's locks. `held` resolves once the lock is held — nothing is written to the shared
 * queue before, or another tab could take this one's events for orphans. Without Web Locks (insecure
 * contexts) it resolves at once.
 */
export function holdTabLock(tab: string): [held: Promise<unknown>, release: () => void] {
  let release = () => {};
  const held = new Promise((resolve) =>
    navigator.locks
      ? navigator.locks.request(TAB_LOCK_PREFIX + tab, () => (resolve(0), new Promise<void>((done) => (release = done)))).catch(resolve)
      : resolve(0),
  );
  return [held, () => release()];
}
