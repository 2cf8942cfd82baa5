'use client';
import { useEffect, useState } from 'react';
import type { Intent } from '@inkling/browser';
import { inkling } from './inkling';

/**
 * The visitor's intent (`{ score, level, previous, reasons, model }`), re-rendering when the level changes.
 * `undefined` while the server renders and until the page has hydrated: the intent lives in the visitor's
 * browser, and the browser's first render must match what the server sent.
 */
export function useIntent(): Intent | undefined {
  const [intent, setIntent] = useState<Intent>();
  useEffect(() => {
    const read = () => setIntent(inkling.getIntent());
    read();
    const stop = inkling.onIntent(setIntent);
    // onIntent announces each change of level once, across page loads. A level restored from an earlier page
    // (read from IndexedDB just after the page starts) is not announced again, but it is written to
    // <html data-inkling-intent>: read the intent again then.
    const restored = new MutationObserver(read);
    restored.observe(document.documentElement, { attributeFilter: ['data-inkling-intent'] });
    // React calls this when the component unmounts.
    return () => {
      stop();
      restored.disconnect();
    };
  }, []);
  return intent;
}
