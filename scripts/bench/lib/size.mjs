// Sizes: minified, gzip -9 and brotli (quality 11) bytes of each script build, and the bundles the
// benchmark makes itself (Inkling's npm import, and SDKs that publish no script build).
import { mkdirSync, readFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { rollup } from 'rollup';
import { CACHE } from './sdks.mjs';

/** Bytes of `buffer` as served: raw, gzip level 9, brotli quality 11. */
export function measure(buffer) {
  return {
    min: buffer.length,
    gzip: gzipSync(buffer, { level: 9 }).length,
    brotli: brotliCompressSync(buffer, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: buffer.length },
    }).length,
  };
}

/**
 * Bundles `entry` into one minified IIFE at `file` the way an app's build would: node-resolve with the
 * `browser` field, tree-shaking, terser with its default options (no property mangling, unlike Inkling's
 * own script build), no comments.
 */
export async function bundle(entry, file) {
  mkdirSync(CACHE, { recursive: true });
  const build = await rollup({
    input: entry,
    plugins: [resolve({ browser: true }), terser({ ecma: 2020, format: { comments: false } })],
    onwarn: (warning, warn) => warning.code !== 'CIRCULAR_DEPENDENCY' && warn(warning),
  });
  await build.write({ file, format: 'iife', strict: false });
  await build.close();
}

/** Builds what needs building, then measures every script. */
export async function measureSizes(sdks) {
  for (const sdk of sdks) if (sdk.built) await bundle(sdk.built.entry, sdk.script);
  return Object.fromEntries(sdks.map((sdk) => [sdk.id, measure(readFileSync(sdk.script))]));
}
