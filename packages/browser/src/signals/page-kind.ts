import type { PageKind } from '@inkling/core';
import { programmatic } from '../lib/programmatic.js';

/** Path patterns for each kind: `*` matches anything, a trailing `/` is optional. */
export type KindRules = Record<string, string | readonly string[]>;

/** Conventional paths, checked after the site's own rules. */
export const DEFAULT_KIND_RULES: KindRules = {
  pricing: ['/pricing*', '/plans*'],
  article: ['/blog/*', '/articles/*', '/posts/*', '/insights/*'],
  docs: ['/docs*', '/documentation*', '/guides/*', '/help/*'],
  'case-study': ['/customers/*', '/case-studies/*', '/stories/*'],
  comparison: ['/compare*', '/vs/*', '/alternatives*'],
  contact: ['/contact*', '/demo*', '/book-a-demo*', '/get-a-demo*'],
  careers: ['/careers*', '/jobs*'],
};

const KIND = /^[a-z][a-z0-9-]{0,31}$/;

/** A valid kind name: lowercase letters, digits and dashes, at most 32 characters. */
export const isKind = (kind: unknown): kind is string => typeof kind === 'string' && KIND.test(kind);

/** A kind's patterns as a list: a program may give a single pattern as a string; a script tag's are lists already. */
export const listPatterns = (patterns: string | readonly string[]): readonly string[] =>
  programmatic ? [patterns].flat() : (patterns as readonly string[]);

/** Compiles rule sets into [kind, pattern] pairs, in order: pass the site's rules before the defaults. */
export function compileKindRules(...sets: KindRules[]): Array<[string, RegExp]> {
  return sets.flatMap((rules) =>
    Object.entries(rules).flatMap(([kind, patterns]) =>
      listPatterns(patterns).map((p): [string, RegExp] => {
        const source = p
          .replace(/\/$/, '')
          .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*');
        return [kind, new RegExp(`^${source}/?$`, 'i')];
      }),
    ),
  );
}

/**
 * The kind of the current page: `data-inkling-kind` on `<html>` or `<body>`, then
 * `<meta name="inkling:kind">`, then the first rule whose pattern matches the path, then `other`.
 */
export function getPageKind(path: string, rules: Array<[string, RegExp]>): PageKind {
  const marked =
    document.documentElement.dataset['inklingKind'] ??
    document.body?.dataset['inklingKind'] ??
    document.querySelector<HTMLMetaElement>('meta[name="inkling:kind"]')?.content;
  return isKind(marked) ? marked : (rules.find(([, pattern]) => pattern.test(path))?.[0] ?? 'other');
}
