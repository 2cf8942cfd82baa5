// Load test of receivers sharing one PostgreSQL: three `inkling serve` processes on a new database, fed by
// concurrent clients that spread each visitor's batches over every receiver, re-send some batches through another
// receiver (a client whose answer was lost, behind a load balancer) and send some through two receivers at the same
// moment. Every client's visitors are people of one account (a company; `--accounts` of them, shared by several
// clients), so batches for members of one account reach every receiver at once. Webhooks go to a local consumer.
// When scoring and delivery have caught up it checks that every event is stored once, every lead's score is the one
// core's model gives for all of its events, every account holds exactly the leads that claimed it and is scored
// from all of them (core's account model), every webhook arrived once and every level change, of a lead or an
// account, was announced once. Prints throughput and latency as a markdown table; exits 1 on a miss.
//
//   npm run build && node scripts/load-cluster.mjs [--seconds 20] [--clients 16] [--events 20] [--receivers 3]
//     [--accounts 4] [--resend 0.025] [--twice 0.025] [--pg postgres://postgres@127.0.0.1:5432/postgres]
//     [--redis redis://127.0.0.1:6379] [--compare]
//
// --pg is a server and a database to connect to; the test creates its own database there and drops it afterwards.
// --redis shares a (generous) rate limit between the receivers through Redis, to measure its cost; off by default,
// as in the single-receiver test. --compare then runs scripts/load-receiver.mjs (one receiver on SQLite) with the
// same load and prints both side by side.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import pg from 'pg';
import { applyEvent, createProfile, DEFAULT_MODEL, scoreAccount, scoreProfile } from '@inkling/core';
import { verifyWebhook } from '@inkling/receiver';
import { LOAD_OPTIONS, VISITORS_PER_CLIENT, pageViewAt, postBatch, startServe, throughputRows } from './lib/load.mjs';

const { values } = parseArgs({
  options: {
    ...LOAD_OPTIONS,
    receivers: { type: 'string', default: '3' },
    accounts: { type: 'string', default: '4' },
    resend: { type: 'string', default: '0.025' },
    twice: { type: 'string', default: '0.025' },
    pg: { type: 'string', default: process.env.INKLING_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
    redis: { type: 'string' },
    compare: { type: 'boolean', default: false },
  },
});
const SECONDS = Number(values.seconds);
const CLIENTS = Number(values.clients);
const EVENTS_PER_BATCH = Number(values.events);
const RECEIVERS = Number(values.receivers);
const ACCOUNTS = Number(values.accounts);
const RESEND_SHARE = Number(values.resend);
const TWICE_SHARE = Number(values.twice);
// On its third batch every visitor identifies, two visitors per user: their leads merge while other receivers score.
const IDENTIFY_ROUND = 2;
// On its fifth batch every third visitor requests a demo: its lead turns hot, a second webhook.
const DEMO_ROUND = 4;
// On its first batch every visitor joins its client's account with a `group` event; all its events carry the account.
const GROUP_ROUND = 0;
/** The account of client `client`'s visitors: clients share accounts, so one account's members are spread over clients. */
const accountOf = (client) => (ACCOUNTS > 0 ? `acct_load_${client % ACCOUNTS}` : undefined);
const SECRET = `whsec_${randomBytes(24).toString('base64')}`;
const API_KEY = `load-${randomBytes(12).toString('hex')}`;
const SITE = 'load.example';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A new database on the server, dropped by `drop()` (with any connection the receivers left). */
async function createDatabase(serverUrl) {
  const admin = new pg.Client({ connectionString: serverUrl });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${serverUrl} (${error.code ?? error.message}): start it with \`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start\`, or pass --pg`,
      { cause: error },
    );
  }
  const name = `inkling_load_${randomBytes(4).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** A webhook consumer that verifies every signature and counts each webhook-id it receives. */
async function startConsumer() {
  const counts = new Map();
  const stats = { requests: 0, invalid: 0 };
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', async () => {
      stats.requests++;
      try {
        const { id } = await verifyWebhook(Buffer.concat(chunks).toString('utf8'), req.headers, SECRET);
        counts.set(id, (counts.get(id) ?? 0) + 1);
        res.writeHead(200).end();
      } catch {
        stats.invalid++;
        res.writeHead(400).end();
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/hooks`,
    counts,
    stats,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

function startReceiver(database, consumerUrl) {
  const args = ['--db', database, '--webhook-url', consumerUrl, '--allow-private-networks'];
  // The shared limit is set far above the load, so it costs a Redis round trip per batch but refuses nothing.
  args.push(...(values.redis ? ['--redis', values.redis, '--rate-limit', '1000000', '--rate-burst', '1000000'] : ['--rate-limit', 'off']));
  return startServe(args, { INKLING_API_KEY: API_KEY, INKLING_WEBHOOK_SECRET: SECRET });
}

/** Batch `n` of client `client`: page views like load-receiver.mjs, with an identify and a demo request on cue. */
function makeBatch(client, n, sent) {
  const slot = n % VISITORS_PER_CLIENT;
  const round = Math.floor(n / VISITORS_PER_CLIENT);
  const now = Date.now();
  const events = Array.from({ length: EVENTS_PER_BATCH }, (_, i) => pageViewAt(client, n, i, EVENTS_PER_BATCH, now));
  const account = accountOf(client);
  if (account) for (const event of events) event.account = account;
  if (account && round === GROUP_ROUND) Object.assign(events[0], { type: 'group', props: { accountId: account } });
  else if (round === IDENTIFY_ROUND)
    Object.assign(events[0], { type: 'identify', props: { userId: `user_${client}_${Math.floor(slot / 2)}` } });
  else if (round === DEMO_ROUND && slot % 3 === 0)
    Object.assign(events[0], {
      type: 'track',
      page: { path: '/contact', kind: 'contact', title: 'Contact' },
      props: { name: 'demo_request' },
    });
  for (const event of events) sent.set(event.id, event);
  return JSON.stringify({ v: 1, site: SITE, sentAt: new Date(now).toISOString(), events });
}

/** One client: its visitors' batches go round the receivers; some are re-sent through the next one, some sent to two at once. */
async function client(urls, id, until, stats) {
  for (let n = 0; performance.now() < until; n++) {
    const body = makeBatch(id, n, stats.sent);
    const first = urls[(id + n) % urls.length];
    const second = urls[(id + n + 1) % urls.length];
    const dice = Math.random();
    if (dice < TWICE_SHARE) {
      await Promise.all([postBatch(first, body, stats), postBatch(second, body, stats)]);
      stats.doubled += EVENTS_PER_BATCH;
    } else {
      await postBatch(first, body, stats);
      if (dice < TWICE_SHARE + RESEND_SHARE) {
        await postBatch(second, body, stats);
        stats.doubled += EVENTS_PER_BATCH;
      }
    }
  }
}

/** Waits until no lead or account is dirty and no webhook is pending (or two minutes pass); returns the seconds it took. */
async function waitForCatchUp(db) {
  const start = performance.now();
  for (;;) {
    const { rows } = await db.query(
      "SELECT (SELECT count(*)::int FROM leads WHERE dirty) AS dirty, (SELECT count(*)::int FROM accounts WHERE dirty) AS dirty_accounts, (SELECT count(*)::int FROM outbox WHERE status = 'pending') AS pending",
    );
    if ((rows[0].dirty === 0 && rows[0].dirty_accounts === 0 && rows[0].pending === 0) || performance.now() - start > 120_000)
      return { ...rows[0], seconds: (performance.now() - start) / 1000 };
    await sleep(250);
  }
}

/** core's profile of a lead from all of its stored events, folded exactly as the receiver does. */
function expectedProfile(events) {
  const profile = createProfile();
  for (const e of events) applyEvent(profile, { ...e.event, ts: new Date(e.ts).toISOString() }, DEFAULT_MODEL);
  return profile;
}

/** core's score of a lead from all of its stored events. */
const expectedScore = (events, at, previous) => scoreProfile(expectedProfile(events), DEFAULT_MODEL, at, previous);

/** Checks what the receivers stored and sent against what the clients sent; returns the counts and the failures. */
async function verify(db, stats, consumer) {
  const failures = [];
  const { rows: events } = await db.query('SELECT id, visitor, ts::float8 AS ts, body FROM events ORDER BY ts, id COLLATE "C"');
  const storedIds = new Set(events.map((e) => e.id));
  const missing = [...stats.sent.keys()].filter((id) => !storedIds.has(id)).length;
  const altered = events.filter((e) => !isDeepStrictEqual(JSON.parse(e.body), stats.sent.get(e.id))).length;
  if (missing) failures.push(`${missing} events sent but not stored`);
  if (storedIds.size !== events.length) failures.push(`${events.length - storedIds.size} events stored twice`);
  if (events.length !== stats.sent.size) failures.push(`${events.length} events stored, ${stats.sent.size} sent`);
  if (altered) failures.push(`${altered} events stored differently from how they were sent`);
  if (stats.accepted !== stats.sent.size || stats.duplicates !== stats.doubled) {
    failures.push(
      `answers counted ${stats.accepted} accepted and ${stats.duplicates} duplicates; expected ${stats.sent.size} and ${stats.doubled}`,
    );
  }

  const { rows: leads } = await db.query(
    'SELECT id, score, level, previous, scored_at::float8 AS scored_at, dirty, (dirty_seq = scored_seq) AS current, ARRAY(SELECT visitor FROM visitors v WHERE v.lead_id = l.id) AS visitors FROM leads l',
  );
  const byVisitor = new Map();
  for (const e of events) {
    e.event = JSON.parse(e.body);
    if (!byVisitor.has(e.visitor)) byVisitor.set(e.visitor, []);
    byVisitor.get(e.visitor).push(e);
  }
  let wrongScore = 0;
  let unscored = 0;
  for (const lead of leads) {
    if (lead.dirty || !lead.current || lead.scored_at === null) {
      unscored++;
      continue;
    }
    const own = lead.visitors
      .flatMap((v) => byVisitor.get(v) ?? [])
      .sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const expected = [lead.level, lead.previous].map((previous) => expectedScore(own, lead.scored_at, previous));
    if (lead.score !== expected[0].score || !expected.some((x) => x.level === lead.level)) wrongScore++;
  }
  const ownEvents = (lead) => lead.visitors.flatMap((v) => byVisitor.get(v) ?? []);
  const linked = new Set(leads.flatMap((l) => l.visitors));
  const orphans = [...byVisitor.keys()].filter((v) => !linked.has(v)).length;
  if (unscored) failures.push(`${unscored} leads not scored from their latest events`);
  if (wrongScore) failures.push(`${wrongScore} leads whose score is not core's score of all their events`);
  if (orphans) failures.push(`${orphans} visitors with events but no lead`);

  // Accounts: each holds exactly the leads whose visitors claimed it, and is scored from all of them.
  const { rows: accounts } = await db.query(
    'SELECT id, key, score, level, previous, scored_at::float8 AS scored_at, dirty, (dirty_seq = scored_seq) AS current FROM accounts',
  );
  const { rows: memberships } = await db.query('SELECT lead_id, account_id FROM account_members');
  const accountKeys = new Map(accounts.map((a) => [a.id, a.key]));
  const leadsById = new Map(leads.map((l) => [l.id, l]));
  let misplaced = 0;
  const membersOf = new Map(accounts.map((a) => [a.id, []]));
  for (const m of memberships) membersOf.get(m.account_id)?.push(m.lead_id);
  for (const lead of leads) {
    const client = Number(/^v_load_(\d+)_/.exec(lead.visitors[0] ?? '')?.[1]);
    const expected = accountOf(client);
    const actual = memberships.find((m) => m.lead_id === lead.id);
    if ((actual ? accountKeys.get(actual.account_id) : undefined) !== expected) misplaced++;
  }
  let wrongAccountScore = 0;
  let unscoredAccounts = 0;
  for (const account of accounts) {
    if (account.dirty || !account.current || account.scored_at === null) {
      unscoredAccounts++;
      continue;
    }
    const members = membersOf
      .get(account.id)
      .map((id) => ({ id, profile: expectedProfile(ownEvents(leadsById.get(id)).sort((a, b) => a.ts - b.ts)) }));
    const expected = [account.level, account.previous].map((previous) => scoreAccount(members, DEFAULT_MODEL, account.scored_at, previous));
    if (account.score !== expected[0].score || !expected.some((x) => x.level === account.level)) wrongAccountScore++;
  }
  if (ACCOUNTS > 0 && accounts.length !== Math.min(ACCOUNTS, stats.clients))
    failures.push(`${accounts.length} accounts, expected ${Math.min(ACCOUNTS, stats.clients)}`);
  if (misplaced) failures.push(`${misplaced} leads not in the account their visitors claimed`);
  if (unscoredAccounts) failures.push(`${unscoredAccounts} accounts not scored from their latest members`);
  if (wrongAccountScore) failures.push(`${wrongAccountScore} accounts whose score is not core's account score of all their members`);

  const { rows: messages } = await db.query(
    'SELECT id, status, attempts, created_at::float8 AS created_at, payload FROM outbox ORDER BY created_at, id',
  );
  const undelivered = messages.filter((m) => m.status !== 'delivered').length;
  const retried = messages.filter((m) => m.attempts !== 1).length;
  const received = consumer.counts;
  const duplicates = [...received.values()].reduce((sum, n) => sum + n - 1, 0);
  const ids = new Set(messages.map((m) => m.id));
  const unknown = [...received.keys()].filter((id) => !ids.has(id)).length;
  if (undelivered) failures.push(`${undelivered} webhooks not delivered`);
  if (received.size !== messages.length) failures.push(`${messages.length} webhooks in the outbox, ${received.size} distinct ids received`);
  if (duplicates) failures.push(`${duplicates} webhooks received more than once`);
  if (unknown || consumer.stats.invalid) failures.push(`${unknown} unknown webhook ids, ${consumer.stats.invalid} bad signatures`);

  // Every lead's and account's webhooks, oldest first, must each start from the level the one before ended on: a level
  // change sent twice (two receivers scoring the same change) or lost (a score overwritten) breaks the chain. One
  // transition goes to the consumer once (one endpoint), so the chain is also "each account webhook sent once".
  const chains = new Map();
  for (const m of messages) {
    const { type, data } = JSON.parse(m.payload);
    const key = type.startsWith('account.') ? `account ${data.account.id}` : data.lead.id;
    if (!chains.has(key)) chains.set(key, []);
    chains.get(key).push({ ...data, type });
  }
  const levels = new Map([...leads.map((l) => [l.id, l.level]), ...accounts.map((a) => [`account ${a.id}`, a.level])]);
  let broken = 0;
  for (const [leadId, chain] of chains) {
    const ok =
      chain.every((d, i) => d.previous === (i === 0 ? 'cold' : chain[i - 1].level)) &&
      (!levels.has(leadId) || chain.at(-1).level === levels.get(leadId));
    if (!ok) broken++;
  }
  const missed = leads.filter((l) => l.level !== 'cold' && !chains.has(l.id)).length;
  const missedAccounts = accounts.filter((a) => a.level !== 'cold' && !chains.has(`account ${a.id}`)).length;
  if (broken) failures.push(`${broken} leads or accounts whose webhooks repeat or skip a level change`);
  if (missed) failures.push(`${missed} warm or hot leads that sent no webhook`);
  if (missedAccounts) failures.push(`${missedAccounts} warm or hot accounts that sent no webhook`);

  const types = {};
  for (const chain of chains.values()) for (const d of chain) types[d.type] = (types[d.type] ?? 0) + 1;
  return {
    failures,
    events: events.length,
    distinct: storedIds.size,
    leads: leads.length,
    messages: messages.length,
    received: received.size,
    duplicates,
    retried,
    types,
    chains: chains.size,
    accounts: accounts.map((a) => ({ key: a.key, level: a.level, score: a.score, members: membersOf.get(a.id).length })),
  };
}

/** Runs load-receiver.mjs with the same load and returns its table as { measure: result }. */
function runSingleSqlite() {
  const args = [
    'scripts/load-receiver.mjs',
    '--seconds',
    values.seconds,
    '--clients',
    values.clients,
    '--events',
    values.events,
    '--retries',
    String(RESEND_SHARE + TWICE_SHARE),
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  return new Promise((resolve) =>
    child.once('exit', () =>
      resolve(Object.fromEntries([...out.matchAll(/^\| ([^|]+) \| ([^|]+) \|$/gm)].map((m) => [m[1].trim(), m[2].trim()]))),
    ),
  );
}

const database = await createDatabase(values.pg);
const consumer = await startConsumer();
const receivers = [];
let report;
try {
  // Started together: their migrations queue on the advisory lock.
  receivers.push(...(await Promise.all(Array.from({ length: RECEIVERS }, () => startReceiver(database.url, consumer.url)))));
  const stats = { batches: 0, failed: 0, accepted: 0, duplicates: 0, doubled: 0, latencies: [], sent: new Map(), clients: CLIENTS };
  const started = performance.now();
  const urls = receivers.map((r) => r.url);
  await Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(urls, i, started + SECONDS * 1000, stats)));
  const elapsedS = (performance.now() - started) / 1000;

  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  const lag = await waitForCatchUp(db);
  for (const { child } of receivers) child.kill('SIGTERM');
  await Promise.all(
    receivers.map(({ child }) => new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve()))),
  );
  const checked = await verify(db, stats, consumer);
  await db.end();
  report = { stats, elapsedS, lag, checked };
} finally {
  for (const { child } of receivers) if (child.exitCode === null) child.kill('SIGTERM');
  await consumer.close();
  await sleep(200);
  await database.drop();
}

const { stats, elapsedS, lag, checked } = report;
const rows = [
  [
    'Setup',
    `${RECEIVERS} receivers on one PostgreSQL${values.redis ? ', rate limit shared through Redis' : ''}; ${elapsedS.toFixed(1)} s, ${CLIENTS} concurrent clients, ${EVENTS_PER_BATCH} events per batch`,
  ],
  [
    'Batches re-sent',
    `${+(RESEND_SHARE * 100).toFixed(1)}% through a second receiver afterwards, ${+(TWICE_SHARE * 100).toFixed(1)}% through two receivers at once`,
  ],
  ...throughputRows(stats, elapsedS),
  ['Unique events sent', String(stats.sent.size)],
  ['Events stored', `${checked.events} (${checked.distinct} distinct ids)`],
  ['Re-sent events answered as duplicates', `${stats.duplicates} of ${stats.doubled}`],
  [
    'Leads',
    `${checked.leads}, every one scored from all its events ${lag.seconds.toFixed(1)} s after the load stopped (${lag.dirty} left dirty)`,
  ],
  [
    'Accounts',
    ACCOUNTS > 0
      ? `${checked.accounts.length}, each holding the leads that claimed it and scored from all of them: ${checked.accounts
          .sort((a, b) => (a.key < b.key ? -1 : 1))
          .map((a) => `${a.key} ${a.level} (${a.score}) of ${a.members} leads`)
          .join(', ')}`
      : 'none (--accounts 0)',
  ],
  [
    'Webhooks',
    `${checked.messages} in the outbox (${Object.entries(checked.types)
      .map(([t, n]) => `${n} ${t}`)
      .join(', ')}); ${checked.received} distinct webhook-ids received, ${checked.duplicates} received twice`,
  ],
];
console.log('| Measure | Result |\n| --- | --- |');
for (const [name, value] of rows) console.log(`| ${name} | ${value} |`);

if (values.compare) {
  const single = await runSingleSqlite();
  const cluster = Object.fromEntries(rows);
  console.log(`\n| Measure | 1 receiver, SQLite | ${RECEIVERS} receivers, PostgreSQL |\n| --- | --- | --- |`);
  for (const name of [
    'Batches answered',
    'Batches / s',
    'Events / s (stored)',
    'Latency p50',
    'Latency p99',
    'Latency max',
    'Events stored',
  ]) {
    console.log(`| ${name} | ${single[name] ?? '?'} | ${cluster[name]} |`);
  }
}

if (stats.failed || checked.failures.length) {
  console.error(`\nFAILED: ${[...(stats.failed ? [`${stats.failed} batches not answered 202`] : []), ...checked.failures].join('; ')}`);
  process.exitCode = 1;
} else {
  console.log(
    `\nExactly once: ${checked.events} events stored once each, ${checked.leads} leads each scored from all their events (checked against core's model), ` +
      `${checked.accounts.length} accounts each scored from all their members (checked against core's account model), ` +
      `${checked.received} webhooks delivered once each and no level change of a lead or an account sent twice or skipped.`,
  );
}
