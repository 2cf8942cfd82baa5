// The real-browser tests' Chromium: Debian's, with the flags the benchmark uses too (scripts/lib/chromium.mjs).
import { CHROMIUM_FLAGS, launchChromium } from '../scripts/lib/chromium.mjs';
import type { Browser } from 'playwright-core';

export { checkChromium, launchChromium } from '../scripts/lib/chromium.mjs';

/** A visitor's Chrome: the receiver keeps headless user agents out of scoring. */
export const VISITOR_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';

/**
 * Chromium that presents itself as a visitor's browser, for the whole process: requests that outlive their
 * page (keepalive) do not carry a context's user-agent override.
 */
export const launchAsVisitor = (): Promise<Browser> => launchChromium({ args: [...CHROMIUM_FLAGS, `--user-agent=${VISITOR_UA}`] });

/**
 * An init script that makes a page's visibility switchable, as a tab switch would: headless Chromium keeps every
 * page "visible". `setVisibility('hidden')` overrides what the page reads (visibilityState, hidden) and fires
 * visibilitychange; `setVisibility('visible')` lifts the override, so a page being left still turns hidden for
 * real after its pagehide, as it does in Chrome.
 */
export const SWITCHABLE_VISIBILITY = (): void => {
  const proto = Document.prototype;
  const real = Object.getOwnPropertyDescriptor(proto, 'visibilityState')!.get!;
  let forced: DocumentVisibilityState | undefined;
  const state = function (this: Document): DocumentVisibilityState {
    return forced ?? real.call(this);
  };
  Object.defineProperty(proto, 'visibilityState', { configurable: true, get: state });
  Object.defineProperty(proto, 'hidden', {
    configurable: true,
    get: function (this: Document) {
      return state.call(this) === 'hidden';
    },
  });
  (window as unknown as { setVisibility(s: DocumentVisibilityState): void }).setVisibility = (s) => {
    forced = s === 'hidden' ? s : undefined;
    document.dispatchEvent(new Event('visibilitychange'));
  };
};
