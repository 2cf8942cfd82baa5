import { describe, expect, it } from 'vitest';
import { OptionsError } from '../errors.js';
import { importPeer } from './peer-dependency.js';

/** The errors Node raises for a package that is not installed, from `import()` and from `require()`. */
function missing(name: string, code: 'ERR_MODULE_NOT_FOUND' | 'MODULE_NOT_FOUND'): Error {
  const message =
    code === 'ERR_MODULE_NOT_FOUND'
      ? `Cannot find package '${name}' imported from /app/dist/store/postgres/index.js`
      : `Cannot find module '${name}'`;
  return Object.assign(new Error(message), { code });
}

describe('importPeer', () => {
  it.each(['ERR_MODULE_NOT_FOUND', 'MODULE_NOT_FOUND'] as const)('names the package to install when it is missing (%s)', async (code) => {
    const error = await importPeer('pg', 'database', () => Promise.reject(missing('pg', code))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OptionsError);
    expect(error).toMatchObject({
      path: 'database',
      message: 'database: needs the "pg" package, which is not installed; add it with npm install pg',
    });
  });

  it('passes any other failure through, including another missing package', async () => {
    const other = missing('pg-pool', 'ERR_MODULE_NOT_FOUND');
    await expect(importPeer('pg', 'database', () => Promise.reject(other))).rejects.toBe(other);
    const broken = new TypeError('pg exploded');
    await expect(importPeer('pg', 'database', () => Promise.reject(broken))).rejects.toBe(broken);
  });

  it('returns the module when it loads', async () => {
    expect(await importPeer('pg', 'database', async () => ({ ok: 1 }))).toEqual({ ok: 1 });
  });
});
