import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FEATURE_NAMES } from '@inkling/core';
import { afterEach, describe, expect, it } from 'vitest';
import { DAY_MS, batchOf, bounce, post, warmJourney } from '../../test/helpers.js';
import { createTestSchema } from '../../test/postgres.js';
import { TEST_REDIS_URL, checkRedis } from '../../test/redis.js';
import { readDataset } from '../calibrate/dataset.js';
import { runCli } from './main.js';
import { getServeOptions } from './serve.js';
import { OptionsError, createReceiver, openSqliteStore } from '../index.js';
import { getDefaultModel } from '../scoring/score-events.js';
import { exportAccountFeatures, exportFeatures, getAccountColumns } from './export-features.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'inkling-cli-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function capture(env: Record<string, string> = {}, signal?: AbortSignal) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: { stdout: (s: string) => void out.push(s), stderr: (s: string) => void err.push(s), env, ...(signal ? { signal } : {}) },
  };
}

describe('inkling CLI', () => {
  it('prints the commands, and refuses an unknown one with exit code 2', async () => {
    const help = capture();
    expect(await runCli(['--help'], help.io)).toBe(0);
    expect(help.out.join('')).toContain('export-features');
    const unknown = capture();
    expect(await runCli(['sevre'], unknown.io)).toBe(2);
    expect(unknown.err.join('')).toBe('inkling: unknown command "sevre"; expected one of serve, export-features, calibrate, outcomes\n');
  });

  it('prints the package version for --version', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    for (const flag of ['--version', '-v']) {
      const { out, io } = capture();
      expect(await runCli([flag], io)).toBe(0);
      expect(out.join('')).toBe(`${version}\n`);
    }
  });

  it('serve --help lists every flag with its environment variable', async () => {
    const { out, io } = capture();
    expect(await runCli(['serve', '--help'], io)).toBe(0);
    const text = out.join('');
    for (const line of [
      '--port <n>',
      '[INKLING_PORT]',
      '--webhook-secret <whsec_...>',
      '[INKLING_API_KEY]',
      '--allow-private-networks',
      '[INKLING_MODEL]',
    ])
      expect(text).toContain(line);
  });

  it('takes serve options from flags, else from INKLING_* variables', () => {
    const env = {
      INKLING_PORT: '9000',
      INKLING_ORIGINS: 'https://a.example.com, https://b.example.com',
      INKLING_ALLOW_PRIVATE_NETWORKS: '1',
      INKLING_API_KEY: 'key-from-the-environment',
    };
    const fromEnv = getServeOptions([], env);
    expect(fromEnv.port).toBe(9000);
    expect(fromEnv.options.allowedOrigins).toEqual(['https://a.example.com', 'https://b.example.com']);
    expect(fromEnv.options.allowPrivateNetworks).toBe(true);
    expect(fromEnv.options.apiKey).toBe('key-from-the-environment');
    const fromFlags = getServeOptions(
      [
        '--port',
        '9001',
        '--origin',
        'https://c.example.com',
        '--site',
        'a',
        '--site',
        'b',
        '--webhook-url',
        'https://hooks.example.com/x',
        '--webhook-secret',
        'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      ],
      env,
    );
    expect(fromFlags.port).toBe(9001);
    expect(fromFlags.options.allowedOrigins).toEqual(['https://c.example.com']);
    expect(fromFlags.options.sites).toEqual(['a', 'b']);
    expect(fromFlags.options.webhooks).toEqual([
      { url: 'https://hooks.example.com/x', secret: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'] },
    ]);
    const teams = getServeOptions(
      [
        '--webhook-url',
        'https://payroll.example.com/h',
        '--webhook-topics',
        'payroll, tax',
        '--webhook-url',
        'https://all.example.com/h',
        '--webhook-topics',
        '*',
      ],
      { INKLING_WEBHOOK_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
    );
    expect(teams.options.webhooks).toEqual([
      { url: 'https://payroll.example.com/h', secret: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'], topics: ['payroll', 'tax'] },
      { url: 'https://all.example.com/h', secret: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'] },
    ]);
    expect(getServeOptions(['--rate-limit', 'off'], {}).options.rateLimit).toBe(false);
    expect(getServeOptions(['--rate-limit', '20', '--rate-burst', '100'], {}).options.rateLimit).toEqual({ refillPerS: 20, capacity: 100 });
    expect(getServeOptions(['--address-rate-limit', '30'], { INKLING_ADDRESS_RATE_BURST: '300' }).options.rateLimit).toEqual({
      perAddress: { refillPerS: 30, capacity: 300 },
    });
    expect(
      getServeOptions(['--headers-timeout', '5000', '--request-timeout', '20000', '--keep-alive-timeout', '2000'], {
        INKLING_MAX_CONNECTIONS_PER_ADDRESS: '0',
      }).server,
    ).toEqual({ headersTimeoutMs: 5000, requestTimeoutMs: 20000, keepAliveTimeoutMs: 2000, maxConnectionsPerAddress: 0 });
    expect(getServeOptions([], {}).server).toEqual({});
    expect(getServeOptions(['--trust-proxy'], {}).server).toEqual({ maxConnectionsPerAddress: 0 });
    expect(getServeOptions(['--trust-proxy', '--max-connections-per-address', '500'], {}).server).toEqual({
      maxConnectionsPerAddress: 500,
    });
  });

  it('scores automated browsers only when --score-bots is given', () => {
    expect(getServeOptions([], {}).options.scoreBots).toBeUndefined();
    expect(getServeOptions(['--score-bots'], {}).options.scoreBots).toBe(true);
    expect(getServeOptions([], { INKLING_SCORE_BOTS: '1' }).options.scoreBots).toBe(true);
  });

  it.each([
    [['--port', 'eighty'], {}, '--port: expected a port number from 0 to 65535, got "eighty"'],
    [[], { INKLING_PORT: '70000' }, 'INKLING_PORT: expected a port number from 0 to 65535, got "70000"'],
    [['--prot', '1'], {}, "inkling serve: Unknown option '--prot'"],
    [
      [
        '--webhook-url',
        'https://hooks.example.com/x',
        '--webhook-url',
        'https://hooks.example.com/y',
        '--webhook-topics',
        'payroll',
        '--webhook-secret',
        'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      ],
      {},
      '--webhook-topics: given 1 time(s) for 2 --webhook-url',
    ],
    [
      [
        '--webhook-url',
        'https://hooks.example.com/x',
        '--webhook-topics',
        'payroll,',
        '--webhook-secret',
        'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      ],
      {},
      '--webhook-topics: expected a topic name of 1 to 64 characters, got ""',
    ],
    [['--webhook-url', 'https://hooks.example.com/x'], {}, '--webhook-url: needs a signing secret too'],
    [
      ['--webhook-url', 'https://hooks.example.com/x', '--webhook-secret', 'hunter2'],
      {},
      '--webhook-secret: expected "whsec_" followed by base64',
    ],
    [['--origin', 'https://a.example.com/path'], {}, '--origin: expected an origin such as "https://www.example.com"'],
    [[], { INKLING_API_KEY: 'short' }, 'INKLING_API_KEY: expected at least 16 characters'],
    [['--model', '/no/such/model.json'], {}, '--model: cannot read the model file "/no/such/model.json": no such file'],
    [[], { INKLING_ALLOW_PRIVATE_NETWORKS: 'maybe' }, 'INKLING_ALLOW_PRIVATE_NETWORKS: expected 1/true/yes or 0/false/no, got "maybe"'],
    [['--rate-limit', 'lots'], {}, '--rate-limit: expected batches per second (or off) from 1 to 1000000, got "lots"'],
    [['--redis', 'redis://127.0.0.1:6379', '--rate-limit', 'off'], {}, '--redis: given with --rate-limit off; drop one of them'],
    [['--address-rate-burst', '10', '--rate-limit', 'off'], {}, '--address-rate-burst: given with --rate-limit off; drop one of them'],
    [['--headers-timeout', 'soon'], {}, '--headers-timeout: expected a number of milliseconds from 1 to 3600000, got "soon"'],
    [['--headers-timeout', '60000'], {}, '--headers-timeout: 60000 is longer than requestTimeoutMs (30000)'],
    [
      [],
      { INKLING_REDIS_URL: 'http://:hunter2@cache.internal' },
      'INKLING_REDIS_URL: expected a redis:// or rediss:// URL, got "http://:***@cache.internal"',
    ],
  ])('serve %j %j: exits 2 naming the flag', async (args, env, message) => {
    const { err, io } = capture(env);
    expect(await runCli(['serve', '--db', ':memory:', ...args], io)).toBe(2);
    expect(err.join('')).toContain(message);
    expect(err.join('')).not.toContain('hunter2');
  });

  it('option errors carry the option path and the rule, which the CLI maps to the flag', async () => {
    let error: unknown;
    try {
      createReceiver({ allowedOrigins: ['https://a.example.com', 'https://b.example.com/path'] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OptionsError);
    expect(error).toMatchObject({ path: 'allowedOrigins[1]', rule: expect.stringMatching(/^expected an origin such as/) });
    expect((error as OptionsError).message).toBe(`allowedOrigins[1]: ${(error as OptionsError).rule}`);
    const { err, io } = capture({ INKLING_ORIGINS: 'https://a.example.com,https://b.example.com/path' });
    expect(await runCli(['serve', '--db', ':memory:'], io)).toBe(2);
    expect(err.join('')).toBe(`INKLING_ORIGINS: ${(error as OptionsError).rule}\n`);
  });

  it('refuses a model file that is not a valid model, naming the field', async () => {
    const file = join(tempDir(), 'model.json');
    writeFileSync(file, JSON.stringify({ kind: 'points', version: 'x', halfLifeDays: -1 }));
    const { err, io } = capture();
    expect(await runCli(['serve', '--db', ':memory:', '--model', file], io)).toBe(2);
    expect(err.join('')).toMatch(/^--model: model\.halfLifeDays: expected/);
  });

  it('serve runs the receiver until stopped', async () => {
    const controller = new AbortController();
    const { out, io } = capture({ INKLING_API_KEY: 'a-key-long-enough-1234' }, controller.signal);
    const exit = runCli(['serve', '--port', '0', '--db', ':memory:'], io);
    await expect.poll(() => out.join(''), { timeout: 5000 }).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/);
    const url = /listening on (http:\/\/[^\s]+)/.exec(out.join(''))![1]!;
    const response = await fetch(`${url}/collect`, { method: 'POST', ...post(batchOf(bounce('v_cli_0000001', Date.now()), Date.now())) });
    expect(response.status).toBe(202);
    controller.abort();
    expect(await exit).toBe(0);
    expect(out.join('')).toContain('Inkling receiver stopped');
  });

  /** A store with a warm journey (reads two days ago, pricing an hour ago) and a bounce a minute ago; its file. */
  async function storeWithTwoLeads(now: number): Promise<string> {
    const db = join(tempDir(), 'inkling.db');
    const receiver = createReceiver({ database: db, background: false });
    await receiver.fetch(
      new Request('http://r.test/collect', {
        method: 'POST',
        ...post(batchOf([...warmJourney('v_warm_00001', now), ...bounce('v_cold_00001', now)], now)),
      }),
    );
    await receiver.flush();
    await receiver.close();
    return db;
  }

  /** Runs export-features with `args`; its stderr and rows by visitor. */
  async function exportRows(db: string, args: string[] = []) {
    const out = join(tempDir(), 'features.csv');
    const { err, io } = capture({ INKLING_DB: db });
    expect(await runCli(['export-features', '--out', out, ...args], io)).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe(`visitor,${FEATURE_NAMES.join(',')}`);
    const rows = new Map(lines.slice(1).map((l) => [l.split(',')[0]!, l.split(',').slice(1).map(Number)]));
    return { err: err.join(''), lines, rows };
  }

  it('export-features writes one row per lead with the model features, readable by calibrate once labelled', async () => {
    const { err, lines, rows } = await exportRows(await storeWithTwoLeads(Date.now()));
    expect(err).toBe('inkling: exported 2 leads\n');
    const warm = rows.get('v_warm_00001')!;
    // Decayed like points: three reads two days ago at a 30-day half-life are 3 * 2^(-2/30).
    expect(warm[FEATURE_NAMES.indexOf('article_reads')]).toBeCloseTo(3 * 2 ** (-2 / 30), 1);
    expect(warm[FEATURE_NAMES.indexOf('pricing_views')]).toBeCloseTo(2, 1);
    expect(rows.get('v_cold_00001')![FEATURE_NAMES.indexOf('article_reads')]).toBe(0);

    const labelled = lines.map((l, i) => `${l},${i === 0 ? 'converted' : i === 1 ? 'true' : 'false'}`).join('\n');
    expect(readDataset(labelled).x).toHaveLength(2);
  });

  it('export-features --accounts writes one row per account from its members', async () => {
    const now = Date.now();
    const store = await openSqliteStore({ filename: ':memory:' });
    const receiver = createReceiver({ store, background: false });
    const inNorthwind = (events: ReturnType<typeof warmJourney>) => events.map((e) => ({ ...e, account: 'northwind' }));
    const journeys = [
      inNorthwind(warmJourney('v_ada_0000001', now)),
      inNorthwind(bounce('v_grace_000001', now)),
      bounce('v_alone_000001', now),
    ];
    for (const events of journeys)
      await receiver.fetch(new Request('http://r.test/collect', { method: 'POST', ...post(batchOf(events, now)) }));
    await receiver.flush();
    let csv = '';
    expect(await exportAccountFeatures(store, getDefaultModel(), now, (text) => (csv += text))).toBe(1);
    const [header, row] = csv.trim().split('\n');
    const columns = getAccountColumns();
    expect(header).toBe(`account,${columns.join(',')}`);
    const values = row!.split(',');
    expect(values[0]).toBe('northwind');
    const value = (name: string) => Number(values[1 + columns.indexOf(name)]);
    expect(value('members')).toBe(2);
    expect(value('engaged_people')).toBe(1);
    // Three reads two days and an hour ago: two or three UTC days old, depending on the hour the test runs.
    expect(value('article_reads')).toBeGreaterThanOrEqual(Math.round(3 * 2 ** (-3 / 30) * 1000) / 1000);
    expect(value('article_reads')).toBeLessThanOrEqual(Math.round(3 * 2 ** (-2 / 30) * 1000) / 1000);
    expect(value('pricing_views')).toBeCloseTo(2, 1);
    await receiver.close();

    const { err, io } = capture({ INKLING_DB: await storeWithTwoLeads(now) });
    expect(await runCli(['export-features', '--accounts', '--out', join(tempDir(), 'accounts.csv')], io)).toBe(0);
    expect(err.join('')).toBe('inkling: exported 0 accounts\n');
  });

  it('export-features adds a column per topic enough leads have, which calibrate reads past', async () => {
    const now = Date.now();
    const store = await openSqliteStore({ filename: ':memory:' });
    const receiver = createReceiver({ store, background: false });
    const journeys = [
      warmJourney('v_payroll_001', now, [['payroll'], ['payroll'], ['tax']]),
      warmJourney('v_payroll_002', now, [['payroll'], ['audit'], ['audit']]),
      bounce('v_cold_00001', now),
    ];
    for (const events of journeys)
      await receiver.fetch(new Request('http://r.test/collect', { method: 'POST', ...post(batchOf(events, now)) }));
    await receiver.flush();
    let csv = '';
    expect(await exportFeatures(store, getDefaultModel(), now, (text) => (csv += text), undefined, 2)).toBe(3);
    const [header, ...lines] = csv.trim().split('\n');
    // payroll: two leads; tax and audit: one each, too few for a column of their own.
    expect(header).toBe(`visitor,${FEATURE_NAMES.join(',')},topic:payroll`);
    const payroll = (visitor: string) =>
      Number(
        lines
          .find((l) => l.startsWith(visitor))!
          .split(',')
          .at(-1),
      );
    expect(payroll('v_payroll_001')).toBeGreaterThan(payroll('v_payroll_002'));
    expect(payroll('v_cold_00001')).toBe(0);
    const labelled = [`${header},converted`, ...lines.map((l, i) => `${l},${i === 0}`)].join('\n');
    expect(readDataset(labelled).features).toEqual(FEATURE_NAMES);
    await receiver.close();
  });

  it('export-features --as-of gives features from the events before that time, leaving out leads that had none', async () => {
    const now = Date.now();
    const db = await storeWithTwoLeads(now);
    const { err, rows } = await exportRows(db, ['--as-of', new Date(now - DAY_MS).toISOString()]);
    expect(err).toBe('inkling: exported 1 lead\n');
    expect([...rows.keys()]).toEqual(['v_warm_00001']);
    const warm = rows.get('v_warm_00001')!;
    // The reads were a day old then, and the pricing views had not happened yet.
    expect(warm[FEATURE_NAMES.indexOf('article_reads')]).toBeCloseTo(3 * 2 ** (-1.04 / 30), 2);
    expect(warm[FEATURE_NAMES.indexOf('pricing_views')]).toBe(0);

    const { err: bad, io } = capture({ INKLING_DB: db });
    expect(await runCli(['export-features', '--as-of', 'yesterday'], io)).toBe(2);
    expect(bad.join('')).toBe(
      '--as-of: expected an age such as 7d, 12h or 2w, a date, or an ISO-8601 date-time with its zone, such as 2026-11-01T00:00:00Z; got "yesterday"\n',
    );
  });

  it('export-features --as-of takes an age (7d, 12h, 2w) before now, and says why when no lead had an event before it', async () => {
    const now = Date.now();
    const db = await storeWithTwoLeads(now);
    // The reads were two days ago, the pricing views an hour ago: a day ago is after the reads, before the pricing.
    const dayAgo = await exportRows(db, ['--as-of', '1d']);
    expect(dayAgo.err).toBe('inkling: exported 1 lead\n');
    expect(dayAgo.rows.get('v_warm_00001')![FEATURE_NAMES.indexOf('pricing_views')]).toBe(0);
    expect((await exportRows(db, ['--as-of', '36h'])).err).toBe('inkling: exported 1 lead\n');
    const weekAgo = await exportRows(db, ['--as-of', '1w']);
    expect(weekAgo.rows.size).toBe(0);
    expect(weekAgo.err).toMatch(
      /^inkling: exported 0 leads: no lead had an event before \d{4}-\d\d-\d\dT[\d:.]+Z; choose a later --as-of \(such as 1d\) or leave it out\n$/,
    );
  });

  it('export-features names the flag when the database cannot be opened', async () => {
    const { err, io } = capture();
    expect(await runCli(['export-features', '--db', '/no/such/dir/inkling.db'], io)).toBe(2);
    expect(err.join('')).toMatch(/^--db: cannot open "\/no\/such\/dir\/inkling.db"/);
  });

  it('export-features opens a postgres:// URL as PostgreSQL and never prints its password', async () => {
    const { err, io } = capture({ INKLING_DB: 'postgres://inkling:s3cret-pw@127.0.0.1:1/inkling' });
    expect(await runCli(['export-features'], io)).toBe(2);
    expect(err.join('')).toMatch(/^INKLING_DB: cannot open "postgres:\/\/inkling:\*+@127\.0\.0\.1:1\/inkling"/);
    expect(err.join('')).not.toContain('s3cret-pw');
  });

  it('dispatches calibrate to the calibration tool', async () => {
    const { out, io } = capture();
    expect(await runCli(['calibrate', '--help'], io)).toBe(0);
    expect(out.join('')).toMatch(/^Usage: inkling calibrate/);
  });

  it('serve --help offers PostgreSQL and Redis', async () => {
    const { out, io } = capture();
    expect(await runCli(['serve', '--help'], io)).toBe(0);
    const text = out.join('');
    for (const line of [
      '--db <file|url>',
      'postgres:// URL shared by several receivers',
      'DATABASE_URL',
      '--redis <url>',
      '[INKLING_REDIS_URL]',
    ])
      expect(text).toContain(line);
  });

  it('takes a postgres:// database from --db, INKLING_DB, or DATABASE_URL when it names PostgreSQL', () => {
    const url = 'postgres://inkling:secret@db.internal:5432/inkling';
    expect(getServeOptions(['--db', url], {}).options.database).toBe(url);
    expect(getServeOptions([], { INKLING_DB: url }).options.database).toBe(url);
    expect(getServeOptions([], { DATABASE_URL: url }).options.database).toBe(url);
    expect(getServeOptions([], { DATABASE_URL: 'mysql://elsewhere/app' }).options.database).toBe('.inkling/inkling.db');
    expect(getServeOptions(['--db', 'local.db'], { DATABASE_URL: url }).options.database).toBe('local.db');
    expect(getServeOptions(['--redis', 'redis://cache:6379'], {}).redis).toBe('redis://cache:6379');
    expect(getServeOptions([], { INKLING_REDIS_URL: 'rediss://cache:6380' }).redis).toBe('rediss://cache:6380');
  });

  it('serve runs on PostgreSQL with a shared rate limit, and never prints the password', async () => {
    await checkRedis();
    const schema = await createTestSchema();
    const url = new URL(schema.url);
    // The test server trusts local connections, so the password is only there to be hidden.
    url.username = 'postgres';
    url.password = 'hunter2';
    try {
      const controller = new AbortController();
      const { out, err, io } = capture(
        { INKLING_DB: url.href, INKLING_REDIS_URL: TEST_REDIS_URL, INKLING_RATE_LIMIT: '1', INKLING_RATE_BURST: '1' },
        controller.signal,
      );
      const exit = runCli(['serve', '--port', '0'], io);
      await expect
        .poll(() => out.join('') + err.join(''), { timeout: 10_000 })
        .toMatch(/listening on http:\/\/127\.0\.0\.1:\d+|inkling serve: /);
      const base = /listening on (http:\/\/[^\s]+)/.exec(out.join(''))![1]!;
      const send = () =>
        fetch(`${base}/collect`, {
          method: 'POST',
          ...post(
            batchOf(bounce(`v_cli_${Math.random().toString(36).slice(2, 10)}`, Date.now()), Date.now(), `cli-${schema.name}.example`),
          ),
        });
      expect((await send()).status).toBe(202);
      expect((await send()).status).toBe(429);
      controller.abort();
      expect(await exit).toBe(0);
      const printed = out.join('') + err.join('');
      expect(printed).toContain(`database:  postgres://postgres:***@127.0.0.1:5432/`);
      expect(printed).toContain('rate limit: shared through redis://');
      expect(printed).not.toContain('hunter2');
    } finally {
      await schema.drop();
    }
  });

  it('serve exits 1 naming the server, not the password, when PostgreSQL is not there', async () => {
    const { err, io } = capture({ INKLING_DB: 'postgres://inkling:hunter2@127.0.0.1:1/inkling' });
    expect(await runCli(['serve', '--port', '0'], io)).toBe(1);
    expect(err.join('')).toContain('inkling serve: database: cannot connect to PostgreSQL at 127.0.0.1:1/inkling (ECONNREFUSED)');
    expect(err.join('')).not.toContain('hunter2');
  });
});
