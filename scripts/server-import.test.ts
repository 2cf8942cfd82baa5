// The npm build on a server: importing @inkling/browser in plain Node reads no browser global, and
// createTracker() there returns the tracker that does nothing instead of throwing.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// Runs in a child Node process (not vitest's module runner), from the repository root, where @inkling/browser
// resolves through its package.json exports to dist/, as it does in a user's server.
const PROGRAM = `
const GLOBALS = ['window', 'document', 'location', 'navigator', 'history', 'self', 'localStorage', 'sessionStorage', 'indexedDB'];
const read = [];
let phase = 'import';
for (const name of GLOBALS) {
  Object.defineProperty(globalThis, name, { configurable: true, get: () => { read.push(phase + ':' + name); return undefined; } });
}
const logged = [];
console.debug = (...args) => logged.push(args.join(' '));
const { createTracker } = await import('@inkling/browser');
await import('@inkling/browser/vitals');
phase = 'create';
const tracker = createTracker({ endpoint: 'https://collect.example.com/collect', site: 'example.com', debug: true });
createTracker({ endpoint: 'https://collect.example.com/collect', debug: true });
phase = 'use';
tracker.track('demo_request', { plan: 'team' });
tracker.identify('lead-42');
tracker.group('acct_northwind');
tracker.page();
tracker.consent('granted');
tracker.onIntent(() => {})();
await tracker.flush();
await tracker.forget();
tracker.stop();
console.log(JSON.stringify({ read, logged, intent: tracker.getIntent(), stats: tracker.getStats(), methods: Object.keys(tracker).sort() }));
`;

describe('the npm build in plain Node', () => {
  const result = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', PROGRAM], { encoding: 'utf8' })) as {
    read: string[];
    logged: string[];
    intent: Record<string, unknown>;
    stats: unknown;
    methods: string[];
  };

  it('imports without reading window, document, location or any other browser global', () => {
    expect(result.read.filter((r) => r.startsWith('import:'))).toEqual([]);
  });

  it('returns the tracker that does nothing: every method, a cold intent, no stats; only window is looked at', () => {
    expect(result.methods).toEqual([
      'consent',
      'flush',
      'forget',
      'getIntent',
      'getStats',
      'group',
      'identify',
      'onIntent',
      'page',
      'stop',
      'track',
      'vitals',
    ]);
    expect(result.intent).toMatchObject({ score: 0, level: 'cold', reasons: [] });
    expect(result.stats).toEqual({ queued: 0, sent: 0, retried: 0, dropped: {}, transports: {} });
    expect(new Set(result.read)).toEqual(new Set(['create:window']));
  });

  it('says once, with debug, that it does nothing here', () => {
    expect(result.logged).toHaveLength(1);
    expect(result.logged[0]).toMatch(/^\[inkling\] no window here/);
  });
});
