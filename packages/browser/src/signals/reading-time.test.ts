import { describe, expect, it } from 'vitest';
import { getReadingTime } from './reading-time.js';

function article(html: string): Element {
  const el = document.createElement('article');
  el.innerHTML = html;
  return el;
}

describe('getReadingTime', () => {
  it('expects 1,190 words to take 5 minutes at 238 wpm and needs 35% of it', () => {
    const r = getReadingTime(article(`<p>${'word '.repeat(1190)}</p>`));
    expect(r).toEqual({ words: 1190, expectedMs: 300000, neededMs: 105000 });
  });

  it('needs at least 30 s for a short text', () => {
    expect(getReadingTime(article('<p>A short note of eight words, nothing more.</p>')).neededMs).toBe(30000);
  });

  it('adds 12 s for the first image, one less for each next, never under 3 s', () => {
    const images = '<img alt="">'.repeat(12);
    // 12+11+10+9+8+7+6+5+4+3+3+3 = 81 s
    expect(getReadingTime(article(images)).expectedMs).toBe(81000);
  });

  it('reads Chinese and Japanese per character at 500 a minute', () => {
    const r = getReadingTime(article(`<p>${'読'.repeat(500)} and three words</p>`));
    expect(r.words).toBe(503);
    expect(r.expectedMs).toBe(Math.round((1 + 3 / 238) * 60000));
  });
});
