import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FEATURE_NAMES } from '@inkling/core';
import { afterEach, describe, expect, it } from 'vitest';
import { batchOf, bounce, post, warmJourney } from '../test/helpers.js';
import { readDataset } from './calibrate/dataset.js';
import { runCli } from './cli/main.js';
import { getServeOptions } from './cli/serve.js';
import { createReceiver } from './index.js';

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
  return { out, err, io: { stdout: (s: string) => void out.push(s), stderr: (s: string) => void err.push(s), env, ...(signal ? { signal } : {}) } };
}

describe('inkling CLI', () => {
  it('prints the commands, and refuses an unknown one with exit code 2', async () => {
    const help = capture();
    expect(await runCli(['--help'], help.io)).toBe(0);
    expect(help.out.join('')).toContain('export-features');
    const unknown = capture();
    expect(await runCli(['sevre'], unknown.io)).toBe(2);
    expect(unknown.err.join('')).toBe('inkling: unknown command "sevre"; expected one of serve, export-features, calibrate\n');
  });

  it('serve --help lists every flag with its environment variable', async () => {
    const { out, io } = capture();
    expect(await runCli(['serve', '--help'], io)).toBe(0);
    const text = out.join('');
    for (const line of ['--port <n>', '[INKLING_PORT]', '--webhook-secret <whsec_...>', '[INKLING_API_KEY]', '--allow-private-networks', '[INKLING_MODEL]']) expect(text).toContain(line);
  });

  it('takes serve options from flags, else from INKLING_* variables', () => {
    const env = { INKLING_PORT: '9000', INKLING_ORIGINS: 'https://a.example.com, https://b.example.com', INKLING_ALLOW_PRIVATE_NETWORKS: '1', INKLING_API_KEY: 'key-from-the-environment' };
    const fromEnv = getServeOptions([], env);
    expect(fromEnv.port).toBe(9000);
    expect(fromEnv.options.allowedOrigins).toEqual(['https://a.example.com', 'https://b.example.com']);
    expect(fromEnv.options.allowPrivateNetworks).toBe(true);
    expect(fromEnv.options.apiKey).toBe('key-from-the-environment');
    const fromFlags = getServeOptions(['--port', '9001', '--origin', 'https://c.example.com', '--site', 'a', '--site', 'b', '--webhook-url', 'https://hooks.example.com/x', '--webhook-secret', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'], env);
    expect(fromFlags.port).toBe(9001);
    expect(fromFlags.options.allowedOrigins).toEqual(['https://c.example.com']);
    expect(fromFlags.options.sites).toEqual(['a', 'b']);
    expect(fromFlags.options.webhooks).toEqual([{ url: 'https://hooks.example.com/x', secret: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'] }]);
    expect(getServeOptions(['--rate-limit', 'off'], {}).options.rateLimit).toBe(false);
    expect(getServeOptions(['--rate-limit', '20', '--rate-burst', '100'], {}).options.rateLimit).toEqual({ refillPerS: 20, capacity: 100 });
  });

  it.each([
    [['--port', 'eighty'], {}, '--port: expected a port number from 0 to 65535, got "eighty"'],
    [[], { INKLING_PORT: '70000' }, 'INKLING_PORT: expected a port number from 0 to 65535, got "70000"'],
    [['--prot', '1'], {}, "inkling serve: Unknown option '--prot'"],
    [['--webhook-url', 'https://hooks.example.com/x'], {}, '--webhook-url: needs a signing secret too'],
    [['--webhook-url', 'https://hooks.example.com/x', '--webhook-secret', 'hunter2'], {}, '--webhook-secret: expected "whsec_" followed by base64'],
    [['--origin', 'https://a.example.com/path'], {}, '--origin: expected an origin such as "https://www.example.com"'],
    [[], { INKLING_API_KEY: 'short' }, 'INKLING_API_KEY: expected at least 16 characters'],
    [['--model', '/no/such/model.json'], {}, '--model: cannot read the model file "/no/such/model.json": no such file'],
    [[], { INKLING_ALLOW_PRIVATE_NETWORKS: 'maybe' }, 'INKLING_ALLOW_PRIVATE_NETWORKS: expected 1/true/yes or 0/false/no, got "maybe"'],
    [['--rate-limit', 'lots'], {}, '--rate-limit: expected batches per second (or off) from 1 to 1000000, got "lots"'],
  ])('serve %j %j: exits 2 naming the flag', async (args, env, message) => {
    const { err, io } = capture(env);
    expect(await runCli(['serve', '--db', ':memory:', ...args], io)).toBe(2);
    expect(err.join('')).toContain(message);
    expect(err.join('')).not.toContain('hunter2');
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

  it('export-features writes one row per lead with the model features, readable by calibrate once labelled', async () => {
    const db = join(tempDir(), 'inkling.db');
    const receiver = createReceiver({ database: db, background: false });
    const now = Date.now();
    await receiver.fetch(new Request('http://r.test/collect', { method: 'POST', ...post(batchOf([...warmJourney('v_warm_00001', now), ...bounce('v_cold_00001', now)], now)) }));
    await receiver.flush();
    await receiver.close();

    const out = join(tempDir(), 'features.csv');
    const { err, io } = capture({ INKLING_DB: db });
    expect(await runCli(['export-features', '--out', out], io)).toBe(0);
    expect(err.join('')).toBe('inkling: exported 2 leads\n');
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe(`visitor,${FEATURE_NAMES.join(',')}`);
    const rows = new Map(lines.slice(1).map((l) => [l.split(',')[0], l.split(',').slice(1).map(Number)]));
    const warm = rows.get('v_warm_00001')!;
    // Decayed like points: three reads two days ago at a 30-day half-life are 3 * 2^(-2/30).
    expect(warm[FEATURE_NAMES.indexOf('article_reads')]).toBeCloseTo(3 * 2 ** (-2 / 30), 1);
    expect(warm[FEATURE_NAMES.indexOf('pricing_views')]).toBeCloseTo(2, 1);
    expect(rows.get('v_cold_00001')![FEATURE_NAMES.indexOf('article_reads')]).toBe(0);

    const labelled = lines.map((l, i) => `${l},${i === 0 ? 'converted' : i === 1 ? 'true' : 'false'}`).join('\n');
    expect(readDataset(labelled).x).toHaveLength(2);
  });

  it('export-features names the flag when the database cannot be opened', async () => {
    const { err, io } = capture();
    expect(await runCli(['export-features', '--db', '/no/such/dir/inkling.db'], io)).toBe(2);
    expect(err.join('')).toMatch(/^--db: cannot open "\/no\/such\/dir\/inkling.db"/);
  });

  it('dispatches calibrate to the calibration tool', async () => {
    const { out, io } = capture();
    expect(await runCli(['calibrate', '--help'], io)).toBe(0);
    expect(out.join('')).toMatch(/^Usage: inkling calibrate/);
  });
});
