/**
 * Adds a passive listener and returns a function that removes it (calling it twice is harmless).
 * Passive, so a listener can never delay scrolling; capture, so scrolls inside containers are seen too.
 */
export function listen(target: EventTarget, type: string, fn: (event: Event) => void, capture = false): () => void {
  const options = { passive: true, capture };
  target.addEventListener(type, fn, options);
  return () => target.removeEventListener(type, fn, options);
}
