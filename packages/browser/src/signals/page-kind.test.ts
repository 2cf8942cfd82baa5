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
