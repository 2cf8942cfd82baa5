// The SDKs compared: where each one's script build comes from, how a page includes it, and how it is
// configured (engagement or heartbeat features on, everything pointed at the local collector).
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT = resolve(BENCH, '../..');
export const CACHE = join(BENCH, '.cache');
const NM = join(BENCH, 'node_modules');

/** The version of an installed package: the benchmark reads it, so the doc always names what ran. */
export const versionOf = (pkg, base = NM) => JSON.parse(readFileSync(join(base, pkg, 'package.json'), 'utf8')).version;

const json = (value) => JSON.stringify(value);

/**
 * Each SDK:
 * - `script`: the file measured for size and loaded by the page; `built` when the benchmark bundles it
 *   (see size.mjs) because the package ships no script build;
 * - `what`: which file that is, for the doc;
 * - `tag(urls)`: the HTML put at the end of each page's body;
 * - `routes(urls)`: static files and fixed answers the SDK fetches at run time, served locally;
 * - `config`: how it is configured, for the doc.
 */
export const SDKS = [
  {
    id: 'inkling',
    name: 'Inkling',
    pkg: '@inkling/browser',
    version: () => versionOf('packages/browser', ROOT),
    script: join(ROOT, 'packages/browser/dist/inkling.min.js'),
    what: 'script-tag build `packages/browser/dist/inkling.min.js`, as built by `npm run build`',
    config:
      'defaults (page views, engaged and attentive time, scroll depth, article reads, visits, intent); `data-endpoint` = the collector',
    tag: ({ collector }) => `<script src="/sdk/inkling.min.js" data-endpoint="${collector}/i" data-site="bench"></script>`,
    routes: () => [{ path: '/sdk/inkling.min.js', file: join(ROOT, 'packages/browser/dist/inkling.min.js'), type: 'js' }],
  },
  {
    id: 'snowplow',
    name: 'Snowplow',
    pkg: '@snowplow/browser-tracker',
    script: join(NM, '@snowplow/browser-tracker/dist/index.umd.min.js'),
    what: "`dist/index.umd.min.js` (the package's minified UMD build; the `sp.js` tag build is not published to npm)",
    config:
      '`newTracker` with POST to the collector, `enableActivityTracking({ minimumVisitLength: 30, heartbeatDelay: 10 })` (page pings), `trackPageView()`',
    tag: ({ collector }) => `<script src="/sdk/snowplow.js"></script>
<script>
  var sp = window.snowplowBrowserTracking;
  sp.newTracker('sp', ${json(collector)}, { appId: 'bench', eventMethod: 'post' });
  sp.enableActivityTracking({ minimumVisitLength: 30, heartbeatDelay: 10 });
  sp.trackPageView();
</script>`,
    routes: () => [{ path: '/sdk/snowplow.js', file: join(NM, '@snowplow/browser-tracker/dist/index.umd.min.js'), type: 'js' }],
  },
  {
    id: 'segment',
    name: 'Segment',
    pkg: '@segment/analytics-next',
    script: join(NM, '@segment/analytics-next/dist/umd/standalone.js'),
    what: '`dist/umd/standalone.js` (the analytics.js file the Segment snippet loads from the CDN); it loads its chunks from `dist/umd/` at run time',
    config:
      "the snippet's buffer (`window.analytics` with `_writeKey`, `_cdn` = the local site, `_loadOptions`), source settings with no destinations served locally, `Segment.io` pointed at the collector over http, `page()`; no engagement feature exists",
    tag: ({ collector, site }) => `<script>
  window.analytics = [['page']];
  analytics._writeKey = 'bench';
  analytics._cdn = ${json(site)};
  analytics._loadOptions = { integrations: { 'Segment.io': { apiHost: ${json(collector.replace(/^http:\/\//, '') + '/v1')}, protocol: 'http' } } };
</script>
<script src="/sdk/segment/analytics.min.js"></script>`,
    routes: () => [
      { path: '/sdk/segment/analytics.min.js', file: join(NM, '@segment/analytics-next/dist/umd/standalone.js'), type: 'js' },
      { prefix: '/analytics-next/bundles/', dir: join(NM, '@segment/analytics-next/dist/umd') },
      {
        // What the CDN answers for a source with no destinations (metrics sampling off, so runs compare).
        path: '/v1/projects/bench/settings',
        type: 'json',
        body: json({
          integrations: {
            'Segment.io': {
              apiKey: 'bench',
              unbundledIntegrations: [],
              addBundledMetadata: true,
              maybeBundledConfigIds: {},
              versionSettings: { version: '4.4.7', componentTypes: ['browser'] },
            },
          },
          plan: {
            track: { __default: { enabled: true, integrations: {} } },
            identify: { __default: { enabled: true } },
            group: { __default: { enabled: true } },
          },
          edgeFunction: {},
          analyticsNextEnabled: true,
          middlewareSettings: {},
          enabledMiddleware: {},
          metrics: { sampleRate: 0 },
          legacyVideoPluginsEnabled: false,
          remotePlugins: [],
        }),
      },
    ],
  },
  {
    id: 'posthog',
    name: 'PostHog',
    pkg: 'posthog-js',
    script: join(NM, 'posthog-js/dist/array.js'),
    what: '`dist/array.js` (the file the PostHog snippet loads); its lazy scripts are served from `dist/` by the collector, which is its API and assets host',
    config:
      "`api_host` = the collector, `defaults: '2026-08-30'`, `autocapture`, `capture_pageview`, `capture_pageleave`, `capture_heatmaps`, `capture_dead_clicks`; session recording off; `opt_out_useragent_filter`, as PostHog advises for automated browsers (it treats `navigator.webdriver` as a bot)",
    tag: ({ collector }) => `<script src="/sdk/posthog/array.js"></script>
<script>
  posthog.init('phc_bench', {
    api_host: ${json(collector)},
    defaults: '2026-08-30',
    autocapture: true,
    capture_pageview: true,
    capture_pageleave: true,
    capture_heatmaps: true,
    capture_dead_clicks: true,
    disable_session_recording: true,
    opt_out_useragent_filter: true,
  });
</script>`,
    routes: () => [
      { path: '/sdk/posthog/array.js', file: join(NM, 'posthog-js/dist/array.js'), type: 'js' },
      { prefix: '/static/', dir: join(NM, 'posthog-js/dist'), skipVersion: true },
    ],
  },
  {
    id: 'amplitude',
    name: 'Amplitude',
    pkg: '@amplitude/analytics-browser',
    script: join(NM, '@amplitude/analytics-browser/lib/scripts/amplitude-min.js'),
    what: '`lib/scripts/amplitude-min.js` (the script the Amplitude snippet loads)',
    config:
      'default tracking (sessions, page views, form interactions, file downloads, attribution), `serverUrl` and `remoteConfig.serverUrl` = the collector, diagnostics off (they go to a fixed Amplitude host)',
    tag: ({ collector }) => `<script src="/sdk/amplitude.js"></script>
<script>
  amplitude.init('bench-key', {
    serverUrl: ${json(collector + '/2/httpapi')},
    remoteConfig: { serverUrl: ${json(collector + '/config')} },
    enableDiagnostics: false,
  });
</script>`,
    routes: () => [{ path: '/sdk/amplitude.js', file: join(NM, '@amplitude/analytics-browser/lib/scripts/amplitude-min.js'), type: 'js' }],
  },
  {
    id: 'mixpanel',
    name: 'Mixpanel',
    pkg: 'mixpanel-browser',
    script: join(NM, 'mixpanel-browser/dist/mixpanel.min.js'),
    what: "`dist/mixpanel.min.js` (the CDN build the Mixpanel snippet loads), through the package's own snippet",
    config:
      '`api_host` = the collector, `track_pageview`, `autocapture` with its defaults (clicks, inputs, scroll checkpoints, ...) plus `page_leave`, session recording off',
    tag: ({ collector }) => `<script>
  var MIXPANEL_CUSTOM_LIB_URL = '/sdk/mixpanel.min.js';
  ${readFileSync(join(NM, 'mixpanel-browser/dist/mixpanel-jslib-snippet.min.js'), 'utf8').trim()}
  mixpanel.init('bench-token', {
    api_host: ${json(collector)},
    track_pageview: true,
    autocapture: { page_leave: true },
    record_sessions_percent: 0,
  });
</script>`,
    routes: () => [{ path: '/sdk/mixpanel.min.js', file: join(NM, 'mixpanel-browser/dist/mixpanel.min.js'), type: 'js' }],
  },
  {
    id: 'plausible',
    name: 'Plausible',
    pkg: '@plausible-analytics/tracker',
    script: join(CACHE, 'plausible.min.js'),
    built: { entry: join(BENCH, 'entries/plausible.js') },
    what: "a rollup + terser bundle of the package's ES module (`entries/plausible.js`): the npm package ships no script-tag file, and `plausible-tracker` is its older predecessor",
    config: '`init({ domain, endpoint: the collector, captureOnLocalhost: true })`: page views and engagement (time on page, scroll depth)',
    tag: ({ collector }) => `<script src="/sdk/plausible.js"></script>
<script>
  plausibleTracker.init({ domain: 'bench.example', endpoint: ${json(collector + '/api/event')}, captureOnLocalhost: true });
</script>`,
    routes: () => [{ path: '/sdk/plausible.js', file: join(CACHE, 'plausible.min.js'), type: 'js' }],
  },
];

/** Inkling's npm build, bundled the way an app would: used for size and for the queue throughput page. */
export const INKLING_NPM = {
  id: 'inkling-npm',
  name: 'Inkling (npm `createTracker`)',
  script: join(CACHE, 'inkling-npm.min.js'),
  built: { entry: join(BENCH, 'entries/inkling-npm.js') },
  what: "`import { createTracker } from '@inkling/browser'` bundled with rollup + node-resolve + terser (default options, no property mangling), tree-shaken",
  tag: () => '<script src="/sdk/inkling-npm.js"></script>',
  routes: () => [{ path: '/sdk/inkling-npm.js', file: join(CACHE, 'inkling-npm.min.js'), type: 'js' }],
};
