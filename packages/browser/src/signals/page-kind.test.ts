import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { compileKindRules, DEFAULT_KIND_RULES, getPageKind } from './page-kind.js';

const defaults = compileKindRules(DEFAULT_KIND_RULES);

afterEach(() => {
  delete document.documentElement.dataset['inklingKind'];
  document.head.innerHTML = '';
  document.body.removeAttribute('data-inkling-kind');
});

describe('getPageKind', () => {
  it.each([
    ['/pricing', 'pricing'],
    ['/pricing/', 'pricing'],
    ['/plans/team', 'pricing'],
    ['/blog/close-the-books-faster', 'article'],
    ['/blog', 'other'],
    ['/docs', 'docs'],
    ['/docs/getting-started.html', 'docs'],
    ['/customers/northwind', 'case-study'],
    ['/compare/spreadsheets', 'comparison'],
    ['/contact/', 'contact'],
    ['/careers/senior-accountant', 'careers'],
    ['/', 'other'],
    ['/about', 'other'],
  ])('classifies %s as %s by default', (path, kind) => {
    expect(getPageKind(path, defaults)).toBe(kind);
  });

  it('has the defaults the README lists, each matching a page under it in any case', () => {
    const readme = readFileSync('packages/browser/README.md', 'utf8');
    const text = /3\. the defaults: ([\s\S]*?)\n\s*else `other`/.exec(readme)![1]!.replace(/\s+/g, ' ');
    const listed: Record<string, string[]> = {};
    for (const [, patterns, kind] of text.matchAll(/((?:`\/[^`]*`(?:, )?)+) → `([a-z-]+)`/g))
      listed[kind!] = [...patterns!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
    expect(listed).toEqual(DEFAULT_KIND_RULES);
    for (const [kind, patterns] of Object.entries(listed)) {
      for (const pattern of patterns) {
        const path = pattern.replace('*', pattern.endsWith('/*') ? 'some-page' : '-x');
        expect([path, getPageKind(path, defaults), getPageKind(path.toUpperCase(), defaults)]).toEqual([path, kind, kind]);
      }
    }
  });

  it('checks the site rules before the defaults', () => {
    const rules = compileKindRules({ pricing: ['/offer'], article: '/blog/*', webinar: ['/events/*'] }, DEFAULT_KIND_RULES);
    expect(getPageKind('/offer', rules)).toBe('pricing');
    expect(getPageKind('/events/q3-close', rules)).toBe('webinar');
  });

  it('treats pattern characters other than * literally', () => {
    const rules = compileKindRules({ pricing: '/price.html' });
    expect(getPageKind('/price.html', rules)).toBe('pricing');
    expect(getPageKind('/priceXhtml', rules)).toBe('other');
  });

  it('prefers the page markup: html, then body, then meta', () => {
    document.head.innerHTML = '<meta name="inkling:kind" content="case-study">';
    expect(getPageKind('/pricing', defaults)).toBe('case-study');
    document.body.dataset['inklingKind'] = 'comparison';
    expect(getPageKind('/pricing', defaults)).toBe('comparison');
    document.documentElement.dataset['inklingKind'] = 'docs';
    expect(getPageKind('/pricing', defaults)).toBe('docs');
  });

  it('ignores markup that is not a valid kind name', () => {
    document.documentElement.dataset['inklingKind'] = 'Not A Kind!';
    expect(getPageKind('/pricing', defaults)).toBe('pricing');
  });
});
