import { describe, expect, it } from 'vitest';
import { readScriptOptions, toAttributeMessage } from './script-options.js';

const read = (attrs: Record<string, string>) => {
  const el = document.createElement('script');
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(`data-${k}`, v);
  return readScriptOptions(el.dataset);
};

describe('readScriptOptions', () => {
  it('reads the tag’s data attributes into options', () => {
    const o = read({
      endpoint: '/collect',
      site: 'demo',
      consent: 'pending',
      debug: '',
      'respect-gpc': 'false',
      pricing: '/pricing, /plans/*',
      'kind-case-study': '/customers/*',
      articles: 'article.post',
      scrub: 'invite,ref',
    });
    expect(o).toMatchObject({
      endpoint: '/collect',
      site: 'demo',
      consent: 'pending',
      debug: true,
      respectGpc: false,
      kinds: { pricing: ['/pricing', '/plans/*'], 'case-study': ['/customers/*'] },
      articles: 'article.post',
      scrubParams: ['invite', 'ref'],
      transports: [],
    });
    expect(o.anonymous).toBeUndefined();
  });

  it('adds the dataLayer transport with data-datalayer', () => {
    expect(read({ endpoint: '/c', datalayer: '' }).transports?.map((t) => t.name)).toEqual(['dataLayer']);
  });

  it('names the missing attribute and the fix', () => {
    expect(() => read({})).toThrow(/add data-endpoint="https:\/\/your-collector.example\/i" to the script tag/);
  });

  it.each([
    [{ 'kind-webinar': 'events/*' }, 'Inkling: data-kind-webinar must be paths starting with "/", e.g. "/events/*"; got "events/*"'],
    [{ pricing: '/pricing, plans' }, 'Inkling: data-pricing must be paths starting with "/", e.g. "/events/*"; got "/pricing, plans"'],
  ])('names the page-kind attribute %j and the fix', (attrs, message) => {
    let error: Error | undefined;
    try {
      read({ endpoint: '/c', ...attrs });
    } catch (e) {
      error = e as Error;
    }
    expect(error).toBeInstanceOf(TypeError);
    expect(toAttributeMessage(error!.message)).toBe(message);
  });

  it('turns option names in messages into attribute names', () => {
    expect(toAttributeMessage('Inkling: option "respectGpc" must be true or false; got "yes"')).toBe(
      'Inkling: data-respect-gpc must be true or false; got "yes"',
    );
  });
});

describe('data-topic-* attributes', () => {
  it('read into the topics option, one topic per attribute', () => {
    expect(
      read({ endpoint: '/c', 'topic-reconciliation': '/guides/close/*, /blog/close-*', 'topic-month-end': '/guides/month-end' }).topics,
    ).toEqual({
      reconciliation: ['/guides/close/*', '/blog/close-*'],
      'month-end': ['/guides/month-end'],
    });
  });

  it('name the attribute whose paths are wrong', () => {
    expect(() => read({ endpoint: '/c', 'topic-payroll': 'guides/payroll' })).toThrow(/option "topicPayroll"/);
    try {
      read({ endpoint: '/c', 'topic-payroll': 'guides/payroll' });
    } catch (error) {
      expect(toAttributeMessage((error as Error).message)).toMatch(/^Inkling: data-topic-payroll must be paths starting with "\/"/);
    }
  });
});
