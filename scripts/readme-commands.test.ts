// Every `npx inkling` command in the READMEs runs as written. Each shell block holding one runs in bash in a new
// temporary directory, with `npx inkling` the built executable (as after `npm install @inkling/receiver`), on free
// ports. `serve` must come up and answer /health, then it is stopped; other commands must exit 0 and write the files
// they name. Uses the built packages (`npm run build` first).
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createReceiver } from '@inkling/receiver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS, batchOf, bounce, post, warmJourney } from '../packages/receiver/test/helpers.js';
import { createTestSchema } from '../packages/receiver/test/postgres.js';
import { TEST_REDIS_URL, checkRedis } from '../packages/receiver/test/redis.js';

const READMES = ['README.md', 'packages/core/README.md', 'packages/browser/README.md', 'packages/receiver/README.md'];
const BIN = resolve('packages/receiver/bin/inkling.js');
const RUN_TIMEOUT_MS = 60_000;

interface Block {
  file: string;
  line: number;
  script: string;
}

/** The ```sh blocks of `file` with a line that starts `npx inkling`. */
function getBlocks(file: string): Block[] {
  const blocks: Block[] = [];
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(sh|bash|shell)\s*$/.test(lines[i]!)) continue;
    const start = i + 1;
    while (i + 1 < lines.length && lines[i + 1] !== '```') i++;
    const body = lines.slice(start, i + 1);
    i++;
    if (body.some((l) => l.startsWith('npx inkling'))) blocks.push({ file, line: start + 1, script: body.join('\n') });
  }
  return blocks;
}

const blocks = READMES.flatMap(getBlocks);

/**
 * Placeholders for the user's own infrastructure in the READMEs, and what stands in for them here: the test
 * PostgreSQL (a fresh schema) and Redis.
 */
let pg: Awaited<ReturnType<typeof createTestSchema>> | undefined;
function substitute(script: string): string {
  return script
    .replaceAll('postgres://inkling:secret@db.internal:5432/inkling', pg!.url)
    .replaceAll('redis://cache.internal:6379', TEST_REDIS_URL);
}

const dirs: string[] = [];
let bin: string;
/**
 * A store with two leads, one whose research began ten days ago, and forty more with recorded outcomes; a labelled
 * visitors CSV calibrate can fit.
 */
let fixtures: string;

beforeAll(async () => {
  bin = mkdtempSync(join(tmpdir(), 'inkling-readme-bin-'));
  dirs.push(bin);
  // `npx inkling` runs the installed package's executable; never the registry.
  writeFileSync(
    join(bin, 'npx'),
    `#!/bin/sh\n[ "$1" = inkling ] || { echo "npx $1: not part of this test" >&2; exit 127; }\nshift\nexec "${process.execPath}" "${BIN}" "$@"\n`,
  );
  chmodSync(join(bin, 'npx'), 0o755);

  fixtures = mkdtempSync(join(tmpdir(), 'inkling-readme-fixtures-'));
  dirs.push(fixtures);
  mkdirSync(join(fixtures, '.inkling'));
  const now = Date.now();
  const receiver = createReceiver({ database: join(fixtures, '.inkling/inkling.db'), background: false });
  for (const events of [warmJourney('v_readme_0001', now - 8 * DAY_MS), bounce('v_readme_0002', now)]) {
    const response = await receiver.fetch(new Request('http://receiver.test/collect', { method: 'POST', ...post(batchOf(events, now)) }));
    expect(response.status).toBe(202);
  }
  // Leads with recorded outcomes, for calibrate --from-store: readers converted more often, not always.
  for (let i = 0; i < 40; i++) {
    const visitor = `v_outcome_${String(i).padStart(4, '0')}`;
    const events = i % 2 ? warmJourney(visitor, now - 2 * DAY_MS) : bounce(visitor, now - 2 * DAY_MS);
    const response = await receiver.fetch(new Request('http://receiver.test/collect', { method: 'POST', ...post(batchOf(events, now)) }));
    expect(response.status).toBe(202);
  }
  await receiver.flush();
  let labelled = 0;
  for (const lead of await receiver.store.listLeads({ limit: 100 })) {
    const visitor = lead.visitors[0]!;
    if (!visitor.startsWith('v_outcome_')) continue;
    const reader = Number(visitor.slice(-4)) % 2 === 1;
    const converted = labelled++ % 5 === 0 ? !reader : reader;
    await receiver.store.recordOutcome({
      leadId: lead.id,
      outcome: converted ? 'converted' : 'lost',
      at: now - DAY_MS,
      source: 'api',
      recordedAt: now,
    });
  }
  await receiver.close();
  // Visitors who read and viewed pricing converted more often: enough signal for every fold.
  const rows = Array.from({ length: 300 }, (_, i) => {
    const reads = i % 7;
    const pricing = i % 3;
    return `v${i},${(reads + 2 * pricing + (i % 5)) % 9 > 5},${i % 11},${reads},${pricing},${i % 4}`;
  });
  writeFileSync(
    join(fixtures, 'visitors.csv'),
    ['visitor,converted,page_views,article_reads,pricing_views,visits', ...rows].join('\n') + '\n',
  );

  if (blocks.some((b) => b.script.includes('db.internal'))) pg = await createTestSchema();
  if (blocks.some((b) => b.script.includes('cache.internal'))) await checkRedis();
}, 60_000);

afterAll(async () => {
  await pg?.drop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/** A new working directory with the fixtures a reader of the README would have. */
function workDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'inkling-readme-'));
  dirs.push(dir);
  execFileSync('cp', ['-R', `${fixtures}/.`, dir]);
  return dir;
}

describe('README commands', () => {
  it('finds the commands to check', () => {
    expect(blocks.map((b) => b.file)).toEqual(expect.arrayContaining(['README.md', 'packages/receiver/README.md']));
    expect(blocks.some((b) => /npx inkling serve/.test(b.script))).toBe(true);
    expect(blocks.some((b) => /npx inkling export-features/.test(b.script))).toBe(true);
    expect(blocks.some((b) => /npx inkling calibrate/.test(b.script))).toBe(true);
    expect(blocks.some((b) => /npx inkling calibrate --from-store/.test(b.script))).toBe(true);
    expect(blocks.some((b) => /npx inkling outcomes import/.test(b.script))).toBe(true);
  });

  it.each(blocks.map((b) => [`${b.file}:${b.line}`, b] as const))(
    '%s runs as written',
    { timeout: RUN_TIMEOUT_MS + 10_000 },
    async (_where, block) => {
      const cwd = workDir();
      const port = await freePort();
      const serves = /^npx inkling serve\b/m.test(block.script);
      // The command sets no port itself: the test's free one comes through INKLING_PORT.
      expect(block.script).not.toMatch(/--port\b/);
      const child = spawn('bash', ['-e', '-c', substitute(block.script)], {
        cwd,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { PATH: `${bin}:${process.env['PATH']}`, HOME: cwd, INKLING_PORT: String(port) },
      });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      // 'close': bash and every process it started have let go of the output.
      const exit = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
      const killGroup = (signal: NodeJS.Signals) => {
        try {
          process.kill(-child.pid!, signal);
        } catch {
          // Already gone.
        }
      };
      const timer = setTimeout(() => killGroup('SIGKILL'), RUN_TIMEOUT_MS);
      try {
        if (serves) {
          await expect
            .poll(
              async () =>
                child.exitCode === null
                  ? (await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined))?.status
                  : `exited ${child.exitCode}: ${output}`,
              { timeout: 30_000, interval: 200 },
            )
            .toBe(200);
          // As Ctrl+C would: the whole process group (bash dies of it; the receiver shuts down cleanly).
          killGroup('SIGTERM');
          await exit;
          expect(output).toContain('Inkling receiver stopped');
        } else {
          expect(await exit, output).toBe(0);
        }
      } finally {
        clearTimeout(timer);
        killGroup('SIGKILL');
      }
      // Every file a command says it writes is there, with more than a header.
      for (const [, file] of block.script.matchAll(/--(?:out|output) (\S+)/g)) {
        expect(existsSync(join(cwd, file!)), `${file} from ${output}`).toBe(true);
        expect(statSync(join(cwd, file!)).size, file).toBeGreaterThan(0);
        expect(readFileSync(join(cwd, file!), 'utf8').trim().split('\n').length, file).toBeGreaterThan(1);
      }
    },
  );
});
