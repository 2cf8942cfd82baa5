/**
 * The script-tag build: configured from its own `<script>` tag, driven through `window.inkling`.
 * The only module with side effects.
 *
 *   <script async src="/inkling.min.js" data-endpoint="https://collect.example.com/i"></script>
 *
 * Commands work before and after the script loads: `inkling('track', 'demo_request', {...})` through the
 * optional stub, or `(window.inkling = window.inkling || []).push(['track', 'demo_request'])` with no
 * inline script at all. Calls made before load replay in order, with their original time when the stub
 * recorded it.
 */
import type { KindRules } from './signals/page-kind.js';
import { startTracker } from './tracker.js';
import { createDataLayerTransport } from './transport/data-layer.js';

type Queued = [time: number, args: ArrayLike<unknown>];
type Api = ((...args: unknown[]) => unknown) & { q?: Queued[]; push?: (args: unknown[]) => void };

declare global {
  interface Window {
    inkling?: Api | unknown[][];
  }
}

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

((d: DOMStringMap) => {
  const flag = (name: string) => (d[name] ? d[name] !== 'false' : d[name] === '' || undefined);
  const list = (name: string) => d[name]?.split(',').map((s) => s.trim());
  // data-pricing="/pricing,/plans/*", and data-kind-<kind>="..." for any kind.
  const kinds: KindRules = {};
  for (const name in d) if (/^kind[A-Z]/.test(name)) kinds[kebab(name.slice(4)).slice(1)] = list(name)!;
  if (d['pricing']) kinds['pricing'] = list('pricing')!;

  let tracker: ReturnType<typeof startTracker>;
  try {
    if (!d['endpoint']) throw new TypeError('Inkling: add data-endpoint="https://your-collector.example/i" to the script tag');
    tracker = startTracker({
      endpoint: d['endpoint'],
      transports: flag('datalayer') ? [createDataLayerTransport()] : [],
      kinds,
      site: d['site'],
      consent: d['consent'] as 'pending',
      articles: d['articles'],
      scrollRoot: d['scrollRoot'],
      scrubParams: list('scrub'),
      respectGpc: flag('respectGpc'),
      respectDnt: flag('respectDnt'),
      anonymous: flag('anonymous'),
      autoPageViews: flag('autoPageViews'),
      debug: flag('debug'),
    });
  } catch (error) {
    // Name the attribute, which is what a site owner can change.
    return console.error(`${(error as Error).message}`.replace(/option "(\w+)"/, (_, n: string) => `data-${kebab(n)}`));
  }

  const run = (args: ArrayLike<unknown>, time = 0): unknown => {
    const [name, ...rest] = Array.from(args);
    const command = /^[a-z]\w*$/i.test(name as string) && (tracker as unknown as Record<string, unknown>)[name as string];
    if (typeof command !== 'function') return console.error(`Inkling: unknown command ${name}; use track, identify, page, flush, consent, forget or getStats`);
    tracker._at = time;
    try {
      return command(...rest);
    } finally {
      tracker._at = 0;
    }
  };

  const before = window.inkling;
  const api: Api = (...args) => run(args);
  api.push = (args) => void run(args);
  window.inkling = api;
  if (Array.isArray(before)) before.forEach((args) => run(args));
  else before?.q?.forEach(([time, args]) => run(args, time));
})(document.currentScript?.dataset ?? {});
