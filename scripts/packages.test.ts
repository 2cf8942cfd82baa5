// What `npm publish` would ship, and that every package loads the way users load it: `import`, `require()`, the
// `inkling` executable. Runs against the built packages (`npm run build` first), as users get them.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { rollup } from 'rollup';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const PACKAGES = ['core', 'browser', 'receiver'] as const;
const LICENSE = readFileSync('LICENSE', 'utf8');

/** The files `npm pack` puts in the package's tarball. */
async function packedFiles(name: string): Promise<string[]> {
  const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: `packages/${name}` });
  return (JSON.parse(stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path).sort();
}

describe('npm packages', () => {
  it('the licence is MIT, at the root and in every package', () => {
    expect(LICENSE).toMatch(/^MIT License\n\nCopyright \(c\) 2026 Inkling contributors\n/);
    for (const name of PACKAGES) {
      expect(readFileSync(`packages/${name}/LICENSE`, 'utf8'), name).toBe(LICENSE);
      expect(JSON.parse(readFileSync(`packages/${name}/package.json`, 'utf8')).license, name).toBe('MIT');
    }
  });

  // npm pack takes seconds on a busy machine.
  it.each(PACKAGES)(
    '@inkling/%s ships its README, LICENSE, ESM, CommonJS and types, and no build cache or tests',
    { timeout: 60_000 },
    async (name) => {
      const files = await packedFiles(name);
      for (const file of ['LICENSE', 'README.md', 'package.json', 'dist/index.js', 'dist/cjs/index.cjs', 'dist/index.d.ts'])
        expect(files, file).toContain(file);
      expect(files.filter((f) => /tsbuildinfo|\.test\.|(^|\/)test\//.test(f))).toEqual([]);
      expect(
        files.filter((f) => !/^(LICENSE|README\.md|package\.json|dist\/.+\.(js|cjs|d\.ts)|schema\/.+\.json|bin\/inkling\.js)$/.test(f)),
      ).toEqual([]);
      const pkg = JSON.parse(readFileSync(`packages/${name}/package.json`, 'utf8')) as {
        exports: Record<string, string | Record<string, string>>;
      };
      // Every file an export condition names is in the tarball.
      for (const target of Object.values(pkg.exports).flatMap((v) => (typeof v === 'string' ? [v] : Object.values(v))))
        expect(files, target).toContain(target.replace(/^\.\//, ''));
    },
  );

  it('@inkling/receiver ships its executable, and pg and ioredis are optional peers, not dependencies', { timeout: 60_000 }, async () => {
    expect(await packedFiles('receiver')).toContain('bin/inkling.js');
    const pkg = JSON.parse(readFileSync('packages/receiver/package.json', 'utf8'));
    expect(Object.keys(pkg.dependencies)).not.toContain('pg');
    expect(Object.keys(pkg.dependencies)).not.toContain('ioredis');
    expect(pkg.peerDependenciesMeta).toEqual({ ioredis: { optional: true }, pg: { optional: true } });
  });
  // An app's bundler warns about every import cycle it meets, and a cycle's order of evaluation is a bug waiting.
  it.each(PACKAGES)('@inkling/%s: no module imports itself through others', async (name) => {
    const pkg = JSON.parse(readFileSync(`packages/${name}/package.json`, 'utf8')) as {
      exports: Record<string, string | { import?: string }>;
    };
    const inputs = Object.values(pkg.exports)
      .map((v) => (typeof v === 'string' ? v : v.import))
      .filter((v): v is string => v?.endsWith('.js') ?? false)
      .map((v) => `packages/${name}/${v.replace(/^\.\//, '')}`);
    const cycles: string[] = [];
    await rollup({
      input: inputs,
      external: (id) => !/^[./]/.test(id),
      onwarn: (warning) => void (warning.code === 'CIRCULAR_DEPENDENCY' && cycles.push(warning.message)),
    });
    expect(inputs.length).toBeGreaterThan(0);
    expect(cycles).toEqual([]);
  });
});

describe('require()', () => {
  it('loads @inkling/core, @inkling/browser and the vitals module as CommonJS', () => {
    const core = require('@inkling/core');
    expect(core.validateBatch({ v: 1 }).ok).toBe(false);
    expect(core.uuidv7()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    expect(require.resolve('@inkling/browser')).toMatch(/packages\/browser\/dist\/cjs\/index\.cjs$/);
    expect(typeof require('@inkling/browser').createTracker).toBe('function');
    expect(typeof require('@inkling/browser/vitals').trackVitals).toBe('function');
  });

  it('loads @inkling/receiver as CommonJS, and its receiver opens SQLite and answers', async () => {
    const { createReceiver, OptionsError } = require('@inkling/receiver');
    const receiver = createReceiver({ database: ':memory:', background: false });
    try {
      await receiver.ready;
      expect((await receiver.fetch(new Request('http://receiver.test/health'))).status).toBe(200);
    } finally {
      await receiver.close();
    }
    expect(() => createReceiver({ apiKey: 'short' })).toThrow(OptionsError);
    const { verifyWebhook, signWebhook } = require('@inkling/receiver/verify');
    expect([typeof verifyWebhook, typeof signWebhook]).toEqual(['function', 'function']);
  });
});

describe('inkling executable', () => {
  it('prints its version', { timeout: 30_000 }, async () => {
    const { stdout } = await run(process.execPath, ['packages/receiver/bin/inkling.js', '--version']);
    expect(stdout).toBe(`${JSON.parse(readFileSync('packages/receiver/package.json', 'utf8')).version}\n`);
  });

  // Node's own resolution error for a package that is not installed, for pg and ioredis only.
  const withoutPeers = `data:text/javascript,${encodeURIComponent(`
    import { register } from 'node:module';
    register('data:text/javascript,' + encodeURIComponent(\`export async function resolve(specifier, context, next) {
      if (specifier === 'pg' || specifier === 'ioredis') throw Object.assign(new Error("Cannot find package '" + specifier + "' imported from " + context.parentURL), { code: 'ERR_MODULE_NOT_FOUND' });
      return next(specifier, context);
    }\`));`)}`;

  it.each([
    [
      ['--db', 'postgres://inkling@127.0.0.1:1/inkling'],
      '--db: needs the "pg" package, which is not installed; add it with npm install pg\n',
    ],
    [
      ['--db', ':memory:', '--redis', 'redis://127.0.0.1:1'],
      '--redis: needs the "ioredis" package, which is not installed; add it with npm install ioredis\n',
    ],
  ])('serve %j without the optional driver installed exits 2 naming the package to install', { timeout: 60_000 }, async (args, message) => {
    const failed = await run(
      process.execPath,
      ['--import', withoutPeers, 'packages/receiver/bin/inkling.js', 'serve', '--port', '0', ...args],
      { timeout: 30_000 },
    ).catch((e: unknown) => e);
    expect(failed).toMatchObject({ code: 2, stderr: message });
  });
});
