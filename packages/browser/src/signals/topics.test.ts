import { afterEach, describe, expect, it } from 'vitest';
import { compileKindRules } from './page-kind.js';
import { getPageTopics, MAX_JSON_LD_CHARS } from './topics.js';

const rules = compileKindRules({ reconciliation: ['/guides/close/*'], 'month-end': '/guides/close/checklist' });

function topicsOf(html: string, path = '/blog/x') {
  document.head.innerHTML = html;
  const dropped: Record<string, number> = {};
  const topics = getPageTopics(path, rules, (reason) => (dropped[reason] = (dropped[reason] ?? 0) + 1));
  return { topics, dropped };
}

const meta = (property: string, content: string) => `<meta property="${property}" content="${content}">`;
const ld = (data: unknown) => `<script type="application/ld+json">${typeof data == 'string' ? data : JSON.stringify(data)}</script>`;

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

  describe('JSON-LD', () => {
    it.each([
      ['articleSection as a string', { '@type': 'Article', articleSection: 'Finance' }, ['finance']],
      ['articleSection as strings', { articleSection: ['Finance', 'Close'] }, ['finance', 'close']],
      ['keywords, comma-separated', { keywords: 'Reconciliation, month-end  close,,' }, ['reconciliation', 'month-end close']],
      ['keywords as an array', { keywords: ['Audit', ' Payroll '] }, ['audit', 'payroll']],
      ['about as an object', { about: { '@type': 'Thing', name: 'Treasury' } }, ['treasury']],
      ['about as objects', { about: [{ name: 'Tax' }, { name: 'VAT' }, { id: 'no-name' }] }, ['tax', 'vat']],
      [
        'an @graph of nodes',
        { '@context': 'https://schema.org', '@graph': [{ '@type': 'WebPage' }, { articleSection: 'Finance', keywords: 'close' }] },
        ['finance', 'close'],
      ],
      ['a top-level array of nodes', [{ keywords: 'close' }, { about: { name: 'Audit' } }], ['close', 'audit']],
      ['every field of a node, in that order', { about: { name: 'c' }, keywords: 'b', articleSection: 'a' }, ['a', 'b', 'c']],
    ])('reads %s', (_, data, topics) => {
      expect(topicsOf(ld(data))).toEqual({ topics, dropped: {} });
    });

    it('reads every script, in page order', () => {
      expect(topicsOf(ld({ keywords: 'close' }) + ld({ articleSection: 'Audit' })).topics).toEqual(['close', 'audit']);
    });

    it('ignores values that are not text, and nodes that are not objects', () => {
      expect(
        topicsOf(ld([null, 7, 'Close', { keywords: [1, { name: 'x' }, 'Audit'], articleSection: { name: 'y' }, about: 'Tax' }])),
      ).toEqual({ topics: ['audit'], dropped: {} });
    });

    it('comes after the meta tags and before the path rules', () => {
      const page = ld({ keywords: 'from json-ld' });
      expect(topicsOf(meta('article:tag', 'from meta') + page, '/guides/close/x').topics).toEqual(['from meta']);
      expect(topicsOf(page, '/guides/close/x').topics).toEqual(['from json-ld']);
      document.body.innerHTML = '<main data-inkling-topic="from markup"></main>';
      expect(topicsOf(page).topics).toEqual(['from markup']);
    });

    it('scrubs and bounds its topics like every other source', () => {
      const keywords = [
        'ann@example.com',
        'sk_live_4eC39HqLyjWDarjtT1zdp7dc',
        'x'.repeat(65),
        ...Array.from({ length: 300 }, (_, i) => `k${i}`),
      ];
      expect(topicsOf(ld({ keywords }))).toEqual({
        topics: ['k0', 'k1', 'k2', 'k3', 'k4'],
        dropped: { 'topic-private': 2, 'topic-limit': 296 },
      });
    });

    it('counts and skips malformed scripts, and falls back to the path rules when none is usable', () => {
      expect(topicsOf(ld('{"keywords": "close"') + ld('not json') + ld({ keywords: 'audit' }))).toEqual({
        topics: ['audit'],
        dropped: { 'topic-json-ld': 2 },
      });
      expect(topicsOf(ld('{oops'), '/guides/close/x')).toEqual({ topics: ['reconciliation'], dropped: { 'topic-json-ld': 1 } });
    });

    it('reads no script longer than 32 KB, nor any after the fifth', () => {
      const huge = { keywords: 'huge', description: 'x'.repeat(MAX_JSON_LD_CHARS) };
      const fitting = { keywords: 'fits', description: 'x'.repeat(MAX_JSON_LD_CHARS - 100) };
      expect(topicsOf(ld(huge) + ld(fitting))).toEqual({ topics: ['fits'], dropped: { 'topic-json-ld': 1 } });
      const seven = Array.from({ length: 7 }, (_, i) => ld({ keywords: `k${i}` })).join('');
      expect(topicsOf(seven)).toEqual({ topics: ['k0', 'k1', 'k2', 'k3', 'k4'], dropped: { 'topic-json-ld': 2 } });
    });

    it('stays fast on a page of many huge scripts', () => {
      const page = Array.from({ length: 50 }, () => ld({ keywords: 'x'.repeat(100_000) })).join('');
      const started = performance.now();
      expect(topicsOf(page, '/guides/close/x')).toEqual({ topics: ['reconciliation'], dropped: { 'topic-json-ld': 50 } });
      expect(performance.now() - started).toBeLessThan(1000);
    });
  });
});
