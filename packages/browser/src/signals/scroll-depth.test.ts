import { afterEach, describe, expect, it, vi } from 'vitest';
import { onScrollDepth } from './scroll-depth.js';

describe('onScrollDepth', () => {
  let options: IntersectionObserverInit | undefined;
  let report: (() => void) | undefined;
  class Observer {
    constructor(callback: () => void, init: IntersectionObserverInit) {
      report = callback;
      options = init;
    }
    observe() {}
    disconnect() {}
  }
  // The document as the reader sees it: 10,000 px high, an 800 px viewport scrolled to `top`.
  const scrollTo = (top: number) => {
    const root = document.scrollingElement ?? document.documentElement;
    Object.defineProperties(root, {
      scrollTop: { value: top, configurable: true },
      clientHeight: { value: 800, configurable: true },
      scrollHeight: { value: 10_000, configurable: true },
    });
  };

  afterEach(() => {
    vi.unstubAllGlobals();
    options = report = undefined;
  });

  it('is called back every twentieth of the page, and measures again when read', () => {
    vi.stubGlobal('IntersectionObserver', Observer);
    const depth = onScrollDepth(undefined);
    depth._reset();
    expect(options?.threshold).toHaveLength(21);
    expect((options?.threshold as number[])[1]).toBe(0.05);

    scrollTo(3_000);
    report?.();
    // Scrolled on by less than a twentieth, with no callback: read where the reader is.
    scrollTo(3_150);
    expect(depth._get()).toBe(0.4);
    // Back up: the deepest point stays.
    scrollTo(1_000);
    expect(depth._get()).toBe(0.4);
    depth._reset();
    expect(depth._get()).toBe(0.18);
    depth._stop();
  });
});
