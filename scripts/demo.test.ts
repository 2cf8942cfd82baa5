// The demo as a user runs it: on a busy port it says which port and how to choose others; stopped through npm, it
// stops (no node process left holding the ports). Uses the built packages (`npm run build` first).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** A base port whose next two ports are free too (the demo takes three). */
async function freeBase(): Promise<number> {
  for (;;) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    if ((await Promise.all([0, 1, 2].map((i) => isFree(base + i)))).every(Boolean)) return base;
  }
}

function isFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
  });
}

/** Runs `command`, collecting its output; resolves the exit when it ends. */
function start(command: string, args: string[], env: Record<string, string>) {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exit = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, output: () => out, exit };
}

/** The pid of the demo's node process, child of `parent`. */
async function demoPid(parent: number): Promise<number> {
  const { execFileSync } = await import('node:child_process');
  const rows = execFileSync('ps', ['-o', 'pid=,ppid=,args=', '-A'], { encoding: 'utf8' }).split('\n');
  const row = rows.find((r) => r.trim().split(/\s+/)[1] === String(parent) && r.includes('scripts/demo.mjs'));
  if (!row) throw new Error(`no demo process under ${parent}:\n${rows.filter((r) => r.includes('demo')).join('\n')}`);
  return Number(row.trim().split(/\s+/)[0]);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm start (the demo)', () => {
  it('on a busy port, names the port and how to choose others, and exits 1 without a stack trace', async () => {
    const base = await freeBase();
    const taken = createServer().listen(base + 2, '127.0.0.1');
    await new Promise((done) => taken.once('listening', done));
    try {
      const demo = start(process.execPath, ['scripts/demo.mjs'], { INKLING_DEMO_PORT: String(base) });
      expect(await demo.exit).toBe(1);
      expect(demo.output()).toBe(
        `Inkling demo: port ${base + 2} on 127.0.0.1 is in use (another program, or a demo still running); choose other ports with INKLING_DEMO_PORT, e.g. INKLING_DEMO_PORT=4000 npm start (the demo uses that port and the next two)\n`,
      );
      // Nothing it had started is left holding a port.
      expect(await isFree(base)).toBe(true);
    } finally {
      taken.close();
    }
  });

  it('refuses an INKLING_DEMO_PORT that is not a port', async () => {
    const demo = start(process.execPath, ['scripts/demo.mjs'], { INKLING_DEMO_PORT: 'eighty' });
    expect(await demo.exit).toBe(2);
    expect(demo.output()).toBe('INKLING_DEMO_PORT: expected a port from 1 to 65533 (the demo also uses the next two), got "eighty"\n');
  });

  it.each(['SIGTERM', 'SIGINT', 'SIGKILL'] as const)('stops its node process when npm gets %s', { timeout: 60_000 }, async (signal) => {
    const base = await freeBase();
    const npm = start('npm', ['run', 'demo', '--silent'], { INKLING_DEMO_PORT: String(base) });
    await expect.poll(npm.output, { timeout: 30_000 }).toContain('Inkling demo');
    const node = await demoPid(npm.child.pid!);
    expect((await fetch(`http://127.0.0.1:${base}/`)).status).toBe(200);
    npm.child.kill(signal);
    await npm.exit;
    // SIGKILL gives npm no chance to forward it: the demo notices its parent is gone within a second or two.
    await expect.poll(() => isAlive(node), { timeout: 10_000 }).toBe(false);
    expect(await isFree(base)).toBe(true);
  });
});
