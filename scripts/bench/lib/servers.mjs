// The benchmark's two servers, both on 127.0.0.1 and on different ports (so what a page sends to the
// collector is cross-origin, as on a real site):
// - the site: the reading pages, and each SDK's files where its loader looks for them (the "CDN"),
// - the collector: answers every request 200 with permissive CORS, and records what it received.
// Files an SDK loads from its API host at run time (PostHog's lazy scripts) are served by the collector
// too, from the SDK's npm package, and recorded as downloads rather than as data sent.
import { readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';

const listen = (server) =>
  new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => done(`http://127.0.0.1:${server.address().port}`));
  });

const close = (server) =>
  new Promise((done) => {
    server.closeAllConnections();
    server.close(() => done());
  });

/** Answered to every request that is not a preflight or a file. */
export const SUCCESS_BODY = '{"code":200,"status":1}';

const TYPES = { js: 'text/javascript', json: 'application/json', html: 'text/html; charset=utf-8' };

/**
 * What a static route answers for `path`: a file (`path` -> `file`), a file under a directory (`prefix`
 * -> `dir`; `skipVersion` drops a leading version folder, as in PostHog's /static/1.2.3/x.js) or a fixed
 * `body`. Undefined when none matches.
 */
export function findAsset(routes, path) {
  for (const route of routes) {
    if (route.path === path) return route;
    if (route.dir && path.startsWith(route.prefix)) {
      let rest = path.slice(route.prefix.length);
      if (route.skipVersion) rest = rest.replace(/^\d+\.\d+\.\d+[^/]*\//, '');
      if (!/^[\w.-]+$/.test(rest)) continue;
      const file = join(route.dir, rest);
      try {
        if (statSync(file).isFile()) return { file, type: 'js' };
      } catch {}
    }
  }
  return undefined;
}

/** Bytes of a request as it went over the wire (HTTP/1.1), without its Cookie header: see the doc. */
function wireBytes(req, bodyBytes) {
  let bytes = `${req.method} ${req.url} HTTP/1.1\r\n`.length + 2;
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if (req.rawHeaders[i].toLowerCase() === 'cookie') continue;
    bytes += req.rawHeaders[i].length + 2 + req.rawHeaders[i + 1].length + 2;
  }
  return bytes + bodyBytes;
}

/**
 * The ids of the events in a request body, for counting duplicates: Inkling's wire format
 * (`{ events: [{ id }] }`). Other SDKs' bodies (encoded, compressed or without one id per event) give none.
 */
export function eventIds(body) {
  try {
    const events = JSON.parse(body.toString('utf8'))?.events;
    return Array.isArray(events) ? events.map((e) => e?.id).filter((id) => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * Starts the site and the collector. `pages(path)` returns a page's HTML or undefined; `routes` are the
 * static files and fixed answers of every SDK. Every request is logged in `log` with the server that got it,
 * its kind (page, download, preflight, send) and its sizes; `reset()` empties the log between runs.
 */
export async function startServers({ pages, routes }) {
  const log = [];
  const fileCache = new Map();
  const read = (file) => fileCache.get(file) ?? fileCache.set(file, readFileSync(file)).get(file);

  const answerAsset = (res, asset) => {
    const body = asset.file ? read(asset.file) : Buffer.from(typeof asset.body === 'function' ? asset.body() : asset.body);
    res
      .writeHead(200, {
        'content-type': TYPES[asset.type] ?? 'application/octet-stream',
        'cache-control': 'no-store',
        'access-control-allow-origin': '*',
      })
      .end(body);
    return body.length;
  };

  const site = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const html = pages(path);
    if (html !== undefined) {
      log.push({ server: 'site', kind: 'page', method: req.method, path, up: 0, wire: 0, down: Buffer.byteLength(html), at: Date.now() });
      return res.writeHead(200, { 'content-type': TYPES.html, 'cache-control': 'no-store' }).end(html);
    }
    const asset = findAsset(routes, path);
    if (!asset) {
      log.push({ server: 'site', kind: 'missing', method: req.method, path, up: 0, wire: 0, down: 0, at: Date.now() });
      return res.writeHead(404).end();
    }
    const down = answerAsset(res, asset);
    log.push({ server: 'site', kind: 'download', method: req.method, path, up: 0, wire: 0, down, at: Date.now() });
  });

  const collector = createServer((req, res) => {
    let up = 0;
    const chunks = [];
    req.on('data', (chunk) => {
      up += chunk.length;
      chunks.push(chunk);
    });
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const cors = {
        'access-control-allow-origin': req.headers.origin ?? '*',
        'access-control-allow-credentials': 'true',
        vary: 'Origin',
      };
      const entry = { server: 'collector', method: req.method, path, up, wire: wireBytes(req, up), down: 0, at: Date.now() };
      log.push(entry);
      if (req.method === 'OPTIONS') {
        entry.kind = 'preflight';
        return res
          .writeHead(204, {
            ...cors,
            'access-control-allow-methods': 'GET, POST, PUT, OPTIONS',
            'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
            'access-control-max-age': '7200',
          })
          .end();
      }
      const asset = req.method === 'GET' && findAsset(routes, path);
      if (asset) {
        entry.kind = 'download';
        entry.down = answerAsset(res, asset);
        return;
      }
      entry.kind = 'send';
      entry.ids = eventIds(Buffer.concat(chunks));
      // A script asked of the API host (PostHog's remote config, config.js) gets an empty one: no remote config.
      if (path.endsWith('.js')) return res.writeHead(200, { ...cors, 'content-type': 'text/javascript' }).end();
      // The success body two SDKs read: Amplitude retries without `code`, Mixpanel's verbose mode reads `status`.
      res.writeHead(200, { ...cors, 'content-type': 'application/json' }).end(SUCCESS_BODY);
    });
  });

  const [siteUrl, collectorUrl] = await Promise.all([listen(site), listen(collector)]);
  return {
    siteUrl,
    collectorUrl,
    log,
    reset: () => void log.splice(0),
    /** Resolves once no request has arrived for `quietMs`, or after `maxMs`. */
    async settle(quietMs = 300, maxMs = 3000) {
      const until = Date.now() + maxMs;
      while (Date.now() < until) {
        const last = log.at(-1)?.at ?? 0;
        if (Date.now() - last >= quietMs) return;
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: () => Promise.all([close(site), close(collector)]),
  };
}
