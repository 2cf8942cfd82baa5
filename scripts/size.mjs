// Sizes of what browsers download: the script-tag builds, and the npm import of createTracker as an app's
// bundler would ship it (tree-shaken, minified). `npm run size` prints them; scripts/size.test.ts checks
// them against packages/browser/size-budget.json.
import { readFileSync } from 'node:fs';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import { rollup } from 'rollup';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

const measure = (code) => ({
  min: Buffer.byteLength(code),
  gzip: gzipSync(code, { level: 9 }).length,
  brotli: brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});

/** The npm build's `createTracker` as an app bundles it: only what that import reaches. */
async function bundleImport(name) {
  const bundle = await rollup({
    input: 'entry',
    onwarn: () => {},
    plugins: [
      { name: 'entry', resolveId: (id) => (id === 'entry' ? id : null), load: (id) => (id === 'entry' ? `export { ${name} } from '@inkling/browser';` : null) },
      resolve({ browser: true }),
    ],
  });
  const { output } = await bundle.generate({ format: 'es', plugins: [terser({ ecma: 2020, compress: { passes: 3 } })] });
  return output[0].code;
}

export async function getSizes() {
  return {
    'inkling.min.js': measure(readFileSync('packages/browser/dist/inkling.min.js')),
    'inkling.vitals.min.js': measure(readFileSync('packages/browser/dist/inkling.vitals.min.js')),
    'import { createTracker }': measure(await bundleImport('createTracker')),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = await getSizes();
  console.log('| file | minified | gzip | brotli |\n| --- | ---: | ---: | ---: |');
  for (const [name, s] of Object.entries(sizes)) console.log(`| ${name} | ${s.min} | ${s.gzip} | ${s.brotli} |`);
}
