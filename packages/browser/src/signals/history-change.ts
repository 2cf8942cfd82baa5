import { listen } from '../lib/listen.js';

/**
 * Calls `callback` after each single-page-app navigation: `history.pushState` and `replaceState` (patched:
 * the History API fires no event for them) and `popstate`. A task later, because routers change the URL
 * first and the title a moment after, and a redirect is one navigation. Returns a function that stops it;
 * the patched methods stay in place (another script may have wrapped them since) but call nothing more, not even
 * a timer.
 */
export function onHistoryChange(callback: () => void): () => void {
  let stopped = false;
  const onNavigate = () => stopped || setTimeout(() => stopped || callback());
  for (const name of ['pushState', 'replaceState'] as const) {
    const original = history[name];
    history[name] = function (this: History, ...args: Parameters<History['pushState']>) {
      original.apply(this, args);
      onNavigate();
    };
  }
  const stopPopstate = listen(window, 'popstate', onNavigate);
  return () => {
    stopped = true;
    stopPopstate();
  };
}
