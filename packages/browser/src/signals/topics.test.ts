import { afterEach, describe, expect, it } from 'vitest';
import { compileKindRules } from './page-kind.js';
import { getPageTopics } from './topics.js';

const rules = compileKindRules({ reconciliation: ['/guides/close/*'], 'month-end': '/guides/close/checklist' });

function topicsOf(html: string, path = '/blog/x') {
  document.head.innerHTML = html;
  const dropped: Record<string, number> = {};
  const topics = getPageTopics(path, rules, (reason) => (dropped[reason] = (dropped[reason] ?? 0) + 1));
  return { topics, dropped };
}

const meta = (property: string, content: string) => `<meta property="${property}" content="${content}">`;

afterEach(() => {
  document.head.innerHTML = '';
  document.body.innerHTML = '';
});

describe('getPageTopics', () => {
  it('reads data-inkling-topic, comma-separated, before every other source', () => {
    document.body.innerHTML = '<main data-inkling-topic=" Reconciliation,  Month   End ,"></main>';
    expect(topicsOf(meta('article:tag', 'payroll'), '/guides/close/x').topics).toEqual(['reconciliation', 'month end']);
  });

  it('reads article:section, then every article:tag, before the path rules', () => {
    expect(
      topicsOf(meta('article:section', 'Finance') + meta('article:tag', 'Close') + meta('article:tag', 'Audit'), '/guides/close/x').topics,
    ).toEqual(['finance', 'close', 'audit']);
  });

  it('falls back to every path rule that matches', () => {
    expect(topicsOf('', '/guides/close/checklist').topics).toEqual(['reconciliation', 'month-end']);
    expect(topicsOf('', '/pricing').topics).toBeUndefined();
  });

  it('moves on to the next source when one gives nothing usable', () => {
    const { topics, dropped } = topicsOf(meta('article:tag', 'ann@example.com') + meta('article:tag', '  '), '/guides/close/x');
    expect(topics).toEqual(['reconciliation']);
    expect(dropped).toEqual({ 'topic-private': 1 });
  });

  it('keeps at most 5 distinct topics, counting the rest', () => {
    const tags = ['a', 'A', 'b', 'c', 'd', 'e', 'f', 'g'].map((t) => meta('article:tag', t)).join('');
    expect(topicsOf(tags)).toEqual({ topics: ['a', 'b', 'c', 'd', 'e'], dropped: { 'topic-limit': 2 } });
  });

  it('leaves out a topic longer than 64 characters instead of cutting it', () => {
    expect(topicsOf(meta('article:tag', 'x'.repeat(65)) + meta('article:tag', 'y'.repeat(64)))).toEqual({
      topics: ['y'.repeat(64)],
      dropped: { 'topic-limit': 1 },
    });
  });

  it.each([
    ['an e-mail address', 'ann.lee@example.com'],
    ['an encoded e-mail address', 'ann%40example.com'],
    ['a token', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'],
    ['an order number', 'order 12345678'],
    ['a UUID', '3f2a1b4c-9d8e-4f7a-b6c5-d4e3f2a1b0c9'],
  ])('leaves out a topic holding %s', (_, text) => {
    expect(topicsOf(meta('article:tag', text) + meta('article:tag', 'close'))).toEqual({
      topics: ['close'],
      dropped: { 'topic-private': 1 },
    });
  });

  it('keeps topics in any script, lower-cased where the script has case', () => {
    expect(topicsOf(meta('article:tag', 'ÜBERWEISUNG') + meta('article:tag', '決算') + meta('article:tag', 'ISO 27001')).topics).toEqual([
      'überweisung',
      '決算',
      'iso 27001',
    ]);
  });

  it('stays bounded on a page with 500 tags of 10 KB each', () => {
    const tags = Array.from({ length: 500 }, (_, i) => meta('article:tag', (i % 2 ? 'x' : 'ann@example.com ') + 'y'.repeat(10_000))).join(
      '',
    );
    const started = performance.now();
    const { topics, dropped } = topicsOf(tags + meta('article:tag', 'close'));
    expect(topics).toEqual(['close']);
    expect(dropped).toEqual({ 'topic-limit': 500 });
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
