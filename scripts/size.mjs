// Sizes of what browsers download: the script-tag builds, and the npm import of createTracker as an app's
// bundler would ship it (tree-shaken, minified). `npm run size` prints them; scripts/size.test.ts checks
// them against packages/browser/size-budget.json.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import { rollup } from 'rollup';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { minify } from 'terser';

// A file's gzip size is what `gzip -9 FILE` writes: the deflated bytes plus the header's stored file name and its
// NUL, which is how the size is checked against the budget. A bundle with no file (the npm import) has no name.
const measure = (code, file = '') => ({
  min: Buffer.byteLength(code),
  gzip: gzipSync(code, { level: 9 }).length + (file ? Buffer.byteLength(file) + 1 : 0),
  brotli: brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});

/** The npm build's `createTracker` as an app bundles it: only what that import reaches. */
async function bundleImport(name) {
  const bundle = await rollup({
    input: 'entry',
    onwarn: () => {},
    plugins: [
      {
        name: 'entry',
        resolveId: (id) => (id === 'entry' ? id : null),
        load: (id) => (id === 'entry' ? `export { ${name} } from '@inkling/browser';` : null),
      },
      resolve({ browser: true }),
    ],
  });
  const { output } = await bundle.generate({ format: 'es', plugins: [terser({ ecma: 2020, compress: { passes: 3 } })] });
  return output[0].code;
}

export async function getSizes() {
  return {
    'inkling.min.js': measure(readFileSync('packages/browser/dist/inkling.min.js'), 'inkling.min.js'),
    'inkling.vitals.min.js': measure(readFileSync('packages/browser/dist/inkling.vitals.min.js'), 'inkling.vitals.min.js'),
    'import { createTracker }': measure(await bundleImport('createTracker')),
  };
}

/**
 * What each source module adds to a script-tag build, largest first. The build is bundled as rollup.config.mjs
 * does it, without the minifier; each module's rendered code is then minified alone (the same options, so the same
 * properties mangled) and its gzip share of the real file estimated from its share of the modules' gzip sizes.
 * Estimates: gzip of the whole is less than the sum of its parts, and names shared across modules count in each.
 */
export async function getModuleSizes(file = 'inkling.min.js') {
  const { default: configs, TERSER_OPTIONS } = await import('../rollup.config.mjs');
  const config = configs.find((c) => c.output.file === `packages/browser/dist/${file}`);
  const bundle = await rollup({ input: config.input, onwarn: () => {}, plugins: config.plugins.filter((p) => p.name !== 'terser') });
  const { output } = await bundle.generate({ format: 'iife', strict: false });
  const rows = [];
  for (const [id, m] of Object.entries(output[0].modules)) {
    if (!m.code) continue;
    const { code } = await minify(m.code, { ...TERSER_OPTIONS, compress: { ...TERSER_OPTIONS.compress, passes: 3 } });
    rows.push({
      module: relative('packages', id)
        .replace(/^browser\/src\//, '')
        .replace(/^core\/(dist|src)\//, '@inkling/core/')
        .replace(/^.*node_modules\//, ''),
      min: Buffer.byteLength(code ?? ''),
      gzip: gzipSync(code ?? '', { level: 9 }).length,
    });
  }
  const total = measure(readFileSync(`packages/browser/dist/${file}`), file).gzip;
  const parts = rows.reduce((sum, r) => sum + r.gzip, 0);
  for (const r of rows) r.share = Math.round((total * r.gzip) / parts);
  return rows.sort((a, b) => b.share - a.share);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = await getSizes();
  console.log('| file | minified | gzip | brotli |\n| --- | ---: | ---: | ---: |');
  for (const [name, s] of Object.entries(sizes)) console.log(`| ${name} | ${s.min} | ${s.gzip} | ${s.brotli} |`);
  console.log('\ninkling.min.js by source module (each minified alone; gzip is its estimated share of the file):\n');
  console.log('| module | minified alone | gzip alone | ~gzip in file |\n| --- | ---: | ---: | ---: |');
  for (const r of await getModuleSizes()) console.log(`| ${r.module} | ${r.min} | ${r.gzip} | ${r.share} |`);
}
