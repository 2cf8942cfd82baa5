// The demo: the example product site with Inkling's script tag (and the backend of its newsletter form), a receiver
// on embedded SQLite, and a webhook consumer that prints the signed intent webhooks it verifies, lead and account, as three teams: two specialist teams that
// each get the leads researching their topics, and sales, which gets every lead. Everything on 127.0.0.1.
// `npm start` runs it (scripts/demo.mjs); the real-browser tests start it on free ports.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { uuidv7 } from '@inkling/core';
import { createReceiver, listen } from '@inkling/receiver';
import { verifyWebhook } from '@inkling/receiver/verify';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SITE = join(root, 'examples/site');
const DIST = join(root, 'packages/browser/dist');
/** The address written in the example site's pages; rewritten to the receiver's real one when served. */
const SITE_RECEIVER = 'http://127.0.0.1:3001';
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css',
  '.js': 'text/javascript',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.md': 'text/plain; charset=utf-8',
};

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}\.[a-z]{2,}$/i;

/**
 * The example site's backend for its newsletter form: what any site does with a sign-up, plus telling Inkling who
 * the subscriber is. It answers the subscriber's opaque id (the browser links its visitor to it with `identify`) and
 * sends the receiver, server to server, an `identify` of that id with the e-mail address as a trait: the receiver
 * puts the lead in the account of the address's company domain. The e-mail address never leaves the site's servers
 * for anywhere but its own receiver, and never goes through the browser SDK (which scrubs e-mail addresses).
 */
async function subscribe(req, res, receiverUrl) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 2048) return res.writeHead(413).end();
    chunks.push(chunk);
  }
  let email;
  try {
    email = String(JSON.parse(Buffer.concat(chunks).toString('utf8')).email ?? '').trim();
  } catch {}
  if (!email || !EMAIL.test(email))
    return res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'email: expected an e-mail address' }));
  const hash = createHash('sha256').update(email.toLowerCase()).digest('hex').slice(0, 24);
  const userId = `sub_${hash}`;
  const now = Date.now();
  const batch = {
    v: 1,
    site: 'demo',
    sentAt: new Date(now).toISOString(),
    events: [
      {
        id: uuidv7(now),
        type: 'identify',
        ts: new Date(now).toISOString(),
        visitor: `srv_${hash}`,
        session: `srv_${hash}`,
        user: userId,
        page: { path: '/blog/', kind: 'article' },
        props: { userId, traits: { email } },
      },
    ],
  };
  const sent = await fetch(`${receiverUrl}/collect`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'Ledgerline-site/1.0' },
    body: JSON.stringify(batch),
  }).catch((error) => ({ ok: false, status: String(error) }));
  if (!sent.ok)
    return res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ error: `receiver: ${sent.status}` }));
  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify({ userId }));
}

/** Serves the example site, with the built script at /inkling.min.js, under its Content-Security-Policy. */
function serveSite(receiverUrl) {
  return createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (path === '/api/subscribe')
      return req.method === 'POST' ? subscribe(req, res, receiverUrl) : res.writeHead(405, { allow: 'POST' }).end();
    const file = /^\/inkling(\.vitals)?\.min\.js$/.test(path)
      ? join(DIST, path)
      : normalize(join(SITE, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(SITE) && !file.startsWith(DIST)) return res.writeHead(403).end();
    try {
      let body = await readFile(file);
      if (extname(file) === '.html') body = Buffer.from(body.toString('utf8').replaceAll(SITE_RECEIVER, receiverUrl));
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
}

/**
 * The demo's teams, each behind its own webhook endpoint (`/hooks/<name>`). The example site's articles carry these
 * topics: the blog in `article:tag` meta, the docs and the case study in `data-inkling-topic`.
 */
export const DEMO_TEAMS = [
  { name: 'close', topics: ['month-end close'] },
  { name: 'controls', topics: ['reconciliation', 'audit'] },
  { name: 'sales' },
];

/** Receives the receiver's intent webhooks, verifies each one, and reports it once per team (retries share an id). */
function serveWebhooks(secret, onLead) {
  const seen = new Set();
  return createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', async () => {
      try {
        const { id, payload } = await verifyWebhook(Buffer.concat(chunks), req.headers, secret);
        const team = (req.url ?? '').replace(/^\/hooks\//, '');
        if (!seen.has(`${team} ${id}`)) seen.add(`${team} ${id}`) && onLead(payload, team);
        res.writeHead(204).end();
      } catch {
        res.writeHead(401).end();
      }
    });
  });
}

const listenOn = (server, port) =>
  new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => done(`http://127.0.0.1:${server.address().port}`));
  });

/**
 * Starts the demo. Ports 0 pick free ones. A port in use rejects with Node's `EADDRINUSE` error (its `port` says
 * which), after closing whatever had started.
 * `scoreBots` scores automated browsers (a headless Chromium walking the demo) as people; see the receiver's `scoreBots`.
 * `onLead` is called once per webhook and team that received it.
 * @param {{ sitePort?: number, receiverPort?: number, hooksPort?: number, database?: string, apiKey?: string, scoreBots?: boolean, onLead?: (payload: any, team: string) => void }} [options]
 */
export async function startDemo({
  sitePort = 3000,
  receiverPort = 3001,
  hooksPort = 3002,
  database = join(root, '.inkling/demo.db'),
  apiKey = 'demo-dashboard-key',
  scoreBots = false,
  onLead = () => {},
} = {}) {
  if (database !== ':memory:') mkdirSync(dirname(database), { recursive: true });
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  const hooks = serveWebhooks(secret, onLead);
  const site = createServer();
  // A busy port must not leave the servers already started holding the process open.
  const closeAll = () =>
    Promise.all([hooks, site].filter((server) => server.listening).map((server) => new Promise((done) => server.close(done))));
  let hooksUrl;
  let siteUrl;
  try {
    hooksUrl = await listenOn(hooks, hooksPort);
    siteUrl = await listenOn(site, sitePort);
  } catch (error) {
    await closeAll();
    throw error;
  }
  const receiver = createReceiver({
    database,
    sites: ['demo'],
    allowedOrigins: [siteUrl],
    apiKey,
    webhooks: DEMO_TEAMS.map((team) => ({
      url: `${hooksUrl}/hooks/${team.name}`,
      secret,
      ...(team.topics ? { topics: team.topics } : {}),
    })),
    // The demo's webhook consumer is on 127.0.0.1, which the receiver refuses unless told otherwise.
    allowPrivateNetworks: true,
    scoreBots,
  });
  let listening;
  try {
    listening = await listen(receiver, { port: receiverPort, host: '127.0.0.1' });
  } catch (error) {
    await Promise.all([receiver.close(), closeAll()]);
    throw error;
  }
  site.on('request', serveSite(listening.url).listeners('request')[0]);
  return {
    siteUrl,
    receiverUrl: listening.url,
    dashboardUrl: `${listening.url}/dashboard?key=${apiKey}`,
    eventsUrl: `${listening.url}/events?key=${apiKey}`,
    /** @param {string} leadId */
    dashboardPageUrl: (leadId) => `${listening.url}/dashboard/leads/${encodeURIComponent(leadId)}`,
    /** @param {string} accountId */
    dashboardAccountUrl: (accountId) => `${listening.url}/dashboard/accounts/${encodeURIComponent(accountId)}`,
    apiKey,
    receiver,
    async close() {
      await Promise.all([listening.close(), new Promise((done) => site.close(done)), new Promise((done) => hooks.close(done))]);
    },
  };
}
