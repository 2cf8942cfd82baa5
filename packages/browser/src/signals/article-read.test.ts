import { afterEach, describe, expect, it, vi } from 'vitest';
import { watchArticle } from './article-read.js';

describe('watchArticle', () => {
  const observed: Element[] = [];
  // A stand-in observer: records what is observed and never reports (the reads themselves are tested in real Chromium).
  class Observer {
    observe(el: Element) {
      observed.push(el);
    }
    disconnect() {}
  }

  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
    observed.length = 0;
    document.body.innerHTML = '';
  });

  it('looks for nothing at start-up, and finds the article at the first check', () => {
    vi.stubGlobal('IntersectionObserver', Observer);
    document.body.innerHTML = `<article>${'<p>word word word</p>'.repeat(60)}</article>`;
    const lookups = vi.spyOn(document, 'querySelector');
    const watch = watchArticle('article', () => 0, vi.fn());
    expect(lookups).not.toHaveBeenCalled();
    expect(observed).toEqual([]);

    watch._check();
    expect(lookups).toHaveBeenCalledWith('article');
    // The article's last 50 elements are watched, to tell where it ends.
    expect(observed).toHaveLength(50);
    expect(observed.at(-1)).toBe(document.querySelector('article p:last-child'));
    watch._stop();
  });
});
