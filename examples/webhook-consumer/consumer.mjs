// A service receiving Inkling's signed intent webhooks. It uses only `@inkling/receiver/verify` (Web Crypto,
// no native modules), verifies every message on its raw body, and dedupes on webhook-id: a retried message
// carries the same id, so a lead is handled once.
//   INKLING_WEBHOOK_SECRET=whsec_... node examples/webhook-consumer/consumer.mjs      (listens on 127.0.0.1:8788)
//   node examples/webhook-consumer/consumer.mjs --check   (also runs a receiver that warms a lead, then stops)
import { createServer } from 'node:http';
import { verifyWebhook, WebhookVerificationError } from '@inkling/receiver/verify';

const secret = process.env.INKLING_WEBHOOK_SECRET ?? 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const check = process.argv.includes('--check');
const seen = new Set();

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', async () => {
    try {
      const { id, payload } = await verifyWebhook(Buffer.concat(chunks), req.headers, secret);
      if (!seen.has(id)) {
        seen.add(id);
        const { lead, score, level, previous, reasons } = payload.data;
        // lead.converted names the conversion instead of a level change.
        const what = payload.type === 'lead.converted' ? payload.data.conversion.reason : `${previous} -> ${level}`;
        console.log(`${payload.type}: lead ${lead.id} ${what} (${score}): ${reasons.join('; ')}`);
        server.emit('lead', payload);
      }
      res.writeHead(204).end();
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      console.warn(`refused a webhook: ${error.code}: ${error.message}`);
      res.writeHead(401).end();
    }
  });
});

server.listen(check ? 0 : 8788, '127.0.0.1', async () => {
  const url = `http://127.0.0.1:${server.address().port}/hooks`;
  console.log(`Webhook consumer on ${url}`);
  if (check) await runCheck(url);
});

/** Starts a receiver that sends webhooks here, and feeds it a visitor who researches enough to turn warm. */
async function runCheck(url) {
  const [{ createReceiver }, { uuidv7 }] = await Promise.all([import('@inkling/receiver'), import('@inkling/core')]);
  // allowPrivateNetworks: this demo's consumer is on 127.0.0.1, which the receiver refuses by default.
  const receiver = createReceiver({ webhooks: [{ url, secret }], allowPrivateNetworks: true, background: false });
  const now = Date.now();
  const at = (msAgo) => new Date(now - msAgo).toISOString();
  const event = (type, msAgo, page, props) => ({
    id: uuidv7(now - msAgo),
    type,
    ts: at(msAgo),
    visitor: 'v_example_0001',
    session: 's_example_0001',
    page,
    props,
  });
  const touch = { source: '(direct)', medium: '(none)' };
  const events = [
    event(
      'visit_start',
      3 * 864e5,
      { path: '/', kind: 'other' },
      { visit: 1, daysSinceLast: null, firstTouch: touch, lastTouch: touch, idSource: 'new' },
    ),
    ...[1, 2, 3].map((n) =>
      event(
        'article_read',
        3 * 864e5 - n * 6e5,
        { path: `/blog/post-${n}`, kind: 'article' },
        { pageViewId: uuidv7(), words: 1500, expectedMs: 378000, attentiveMs: 240000, readRatio: 0.63, scrollDepth: 1 },
      ),
    ),
    event(
      'visit_start',
      36e5,
      { path: '/pricing', kind: 'pricing' },
      { visit: 2, daysSinceLast: 3, firstTouch: touch, lastTouch: touch, idSource: 'stored' },
    ),
    event('page_view', 35e5, { path: '/pricing', kind: 'pricing' }, { nav: 'load' }),
    event('page_view', 6e5, { path: '/pricing', kind: 'pricing' }, { nav: 'load' }),
  ];
  const lead = new Promise((resolve) => server.once('lead', resolve));
  await receiver.fetch(
    new Request('http://receiver.local/collect', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ v: 1, site: 'example.com', sentAt: at(0), events }),
    }),
  );
  await receiver.flush();
  await lead;
  await receiver.close();
  server.close();
}
