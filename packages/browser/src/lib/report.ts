import { programmatic } from './programmatic.js';

/**
 * Makes the one function every part of a tracker reports its errors to: logged with `debug`, then handed
 * to `onError`, which may itself throw without reaching the page.
 */
export function createReport(options: {
  debug?: boolean | undefined;
  onError?: ((error: Error) => void) | undefined;
}): (error: unknown) => void {
  return (error) => {
    if (options.debug) console.warn('[inkling]', error);
    if (programmatic)
      try {
        options.onError?.(error instanceof Error ? error : new Error(String(error)));
      } catch {}
  };
}
