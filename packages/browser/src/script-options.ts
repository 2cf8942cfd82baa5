import { getErrorMessage } from './errors/messages.js';
import { kebab } from './lib/kebab.js';
import { check } from './options.js';
import type { TrackerOptions } from './options.js';
import type { KindRules } from './signals/page-kind.js';
import { createDataLayerTransport } from './transport/data-layer.js';

/**
 * Tracker options from the script tag's data- attributes. A flag is on when present (`data-debug`) unless
 * it says "false". Throws when `data-endpoint` is missing.
 */
export function readScriptOptions(d: DOMStringMap): TrackerOptions {
  const flag = (name: string) => (d[name] == null ? undefined : d[name] != 'false');
  const list = (name: string) => d[name]?.split(',').map((s) => s.trim());
  // data-pricing="/pricing,/plans/*", data-kind-<kind>="..." for any kind, and data-topic-<topic>="..." for any topic.
  const rules: Record<string, KindRules> = { kind: {}, topic: {} };
  for (const name in d) {
    const [, type, rest] = /^(kind|topic)([A-Z].*)/.exec(name == 'pricing' ? 'kindPricing' : name) ?? [];
    if (!rest) continue;
    // Checked here, so the message names this attribute (the kinds and topics options have no attribute of their own).
    check(
      list(name)!.every((p) => p[0] == '/'),
      'E19',
      name,
      d[name],
    );
    rules[type!]![kebab(rest).slice(1)] = list(name)!;
  }
  if (!d['endpoint']) throw new TypeError(getErrorMessage('E20'));
  return {
    endpoint: d['endpoint'],
    transports: flag('datalayer') ? [createDataLayerTransport()] : [],
    kinds: rules['kind'],
    topics: rules['topic'],
    site: d['site'],
    consent: d['consent'] as TrackerOptions['consent'],
    articles: d['articles'],
    scrollRoot: d['scrollRoot'],
    scrubParams: list('scrub'),
    respectGpc: flag('respectGpc'),
    respectDnt: flag('respectDnt'),
    anonymous: flag('anonymous'),
    autoPageViews: flag('autoPageViews'),
    debug: flag('debug'),
  };
}

export { toAttributeMessage } from './errors/messages.js';
