/** Reading speed for non-fiction, words a minute (Brysbaert 2019). */
export const WORDS_PER_MINUTE = 238;
/** Chinese and Japanese characters a minute. */
export const CJK_CHARS_PER_MINUTE = 500;
/** A read needs at least this much attentive time: Medium's definition of a read. */
export const MIN_READ_MS = 30000;
/** ...and at least this share of the expected read time. */
export const MIN_READ_RATIO = 0.35;

// Han, kana and CJK compatibility ideographs: read per character, not per space-separated word.
const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/g;

export interface ReadingTime {
  words: number;
  expectedMs: number;
  /** Attentive time that makes a qualified read: max(30 s, 0.35 x expected). */
  neededMs: number;
}

/**
 * Expected read time of an article: words at 238 a minute, CJK characters at 500 a minute, and images
 * the way Medium counts them (12 s for the first, one second less for each next, at least 3 s).
 */
export function getReadingTime(el: Element): ReadingTime {
  // An element's text is never null (only a document's or a doctype's is).
  const text = el.textContent!;
  const cjk = (text.match(CJK) ?? []).length;
  const words = (text.replace(CJK, ' ').match(/\S+/g) ?? []).length;
  let imageS = 0;
  for (let i = 0, n = el.querySelectorAll('img,svg').length; i < n; i++) imageS += Math.max(3, 12 - i);
  const expectedMs = Math.round(((words / WORDS_PER_MINUTE + cjk / CJK_CHARS_PER_MINUTE) * 60 + imageS) * 1000);
  return { words: words + cjk, expectedMs, neededMs: Math.max(MIN_READ_MS, MIN_READ_RATIO * expectedMs) };
}
