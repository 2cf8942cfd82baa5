import { OptionsError } from '../errors.js';

/** True when `error` says the package `name` itself is not installed (ESM `import()` or CommonJS `require()`). */
function isMissingPackage(error: unknown, name: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && typeof message === 'string' && message.includes(`'${name}'`);
}

/**
 * Loads a module that needs an optional peer dependency (`pg` for PostgreSQL, `ioredis` for the shared rate limit),
 * only when the option that needs it is set. When the package is not installed, throws an `OptionsError` on
 * `option` that names the package to install; any other failure passes through.
 *
 * @example
 * const { createPostgresStore } = await importPeer('pg', 'database', () => import('./store/postgres/index.js'));
 */
export async function importPeer<T>(name: string, option: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (!isMissingPackage(error, name)) throw error;
    throw new OptionsError(option, `needs the "${name}" package, which is not installed; add it with npm install ${name}`);
  }
}
