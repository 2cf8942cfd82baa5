import { LIMITS } from '@inkling/core';
import { isPrivate } from '../privacy/scrub.js';

/**
 * Why a topic was left out, counted in `getStats().dropped`: `topic-limit` longer than 64 characters or beyond
 * the fifth, `topic-private` holding an e-mail address, a token or an id; `topic-json-ld` counts a JSON-LD script
 * left unread (malformed, longer than 32 KB, or after the fifth).
 */
export type TopicDropReason = 'topic-limit' | 'topic-private' | 'topic-json-ld';

/** The JSON-LD read for topics: the first 5 `<script type="application/ld+json">` of at most 32 KB (characters) each. */
export const MAX_JSON_LD_SCRIPTS = 5;
export const MAX_JSON_LD_CHARS = 32 << 10;

type JsonLdNode = { articleSection?: unknown; keywords?: unknown; about?: unknown } | null;

/**
 * The topic values of a JSON-LD script, a node or an `@graph` of nodes: `articleSection` (a string or strings),
 * `keywords` (comma-separated, or an array) and the `name` of each `about`. Anything else is not a topic.
 */
const fromJsonLd = (data: JsonLdNode & { '@graph'?: unknown }): unknown[] =>
  [data?.['@graph'] ?? data]
    .flat()
    .flatMap((node: JsonLdNode) => [
      node?.articleSection,
      typeof node?.keywords == 'string' ? node.keywords.split(',') : node?.keywords,
      [node?.about].flat().map((about) => (about as { name?: unknown } | null)?.name),
    ])
    .flat();

const all = <T extends Element>(selector: string) => [...document.querySelectorAll<T>(selector)];

/**
 * The topics of the current page, from the first source that gives any: `data-inkling-topic` (comma-separated)
 * on any element, then `<meta property="article:section">` and every `<meta property="article:tag">` (in page order), then
 * JSON-LD (`articleSection`, `keywords`, `about` names; see {@link MAX_JSON_LD_SCRIPTS}), then every path rule
 * that matches `path`.
 *
 * Each is trimmed, its spaces collapsed and lower-cased; at most 5 per page. A topic longer than 64 characters is
 * left out (not cut: a cut could leave half an address), and so is one holding an e-mail address, a token or an
 * id, each counted by reason. Returns undefined when the page has none.
 */
export function getPageTopics(
  path: string,
  rules: Array<[string, RegExp]>,
  count: (reason: TopicDropReason) => void,
): string[] | undefined {
  const sources = [
    () => document.querySelector<HTMLElement>('[data-inkling-topic]')?.dataset['inklingTopic']!.split(',') ?? [],
    () => all<HTMLMetaElement>('meta[property="article:section"],meta[property="article:tag"]').map((meta) => meta.content),
    () =>
      all<HTMLScriptElement>('script[type="application/ld+json"]').flatMap((script, i) => {
        // The length is checked before parsing, so a huge script costs nothing.
        try {
          if (i < MAX_JSON_LD_SCRIPTS && script.text.length <= MAX_JSON_LD_CHARS) return fromJsonLd(JSON.parse(script.text));
        } catch {}
        count('topic-json-ld');
        return [];
      }),
    () => rules.filter(([, pattern]) => pattern.test(path)).map(([topic]) => topic),
  ];
  for (const source of sources) {
    const topics: string[] = [];
    for (const value of source()) {
      // Lengths are checked before any other work, so a 10 KB tag costs no more than a short one.
      const raw = typeof value == 'string' ? value.trim() : '';
      const topic =
        raw.length > LIMITS.MAX_TOPIC_CHARS
          ? (count('topic-limit'), '')
          : isPrivate(raw)
            ? (count('topic-private'), '')
            : raw.replace(/\s+/g, ' ').toLowerCase();
      if (topic && !topics.includes(topic)) topics.length < LIMITS.MAX_TOPICS ? topics.push(topic) : count('topic-limit');
    }
    if (topics[0]) return topics;
  }
}
