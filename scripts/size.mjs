// Sizes of what browsers download: the script-tag builds, and the npm import of createTracker as an app's
// bundler would ship it (tree-shaken, minified). `npm run size` prints them; scripts/size.test.ts checks
// them against packages/browser/size-budget.json.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import { rollup } from 'rollup';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { minify } from 'terser';

// gzip sizes are what `gzip -9` itself writes, the tool the budget names: for a file, `gzip -9 -c FILE`, whose header
// stores the file's name; for a bundle with no file (the npm import), its code through stdin, with no name. Node's
// zlib deflates differently from gzip(1) (8 bytes less on the script tag, 5 more on the vitals script), so it is not
// used for the numbers the budget and the READMEs hold.
function gzipSize(code, file) {
  try {
    return execFileSync('gzip', file ? ['-9', '-c', file] : ['-9', '-n', '-c'], { input: file ? undefined : code, maxBuffer: 1 << 26 })
      .length;
  } catch (error) {
    throw new Error(`size: gzip -9 did not run (${error.message}); install gzip (Debian: apt-get install gzip) and run again`, {
      cause: error,
    });
  }
}

const measure = (code, file) => ({
  min: Buffer.byteLength(code),
  gzip: gzipSize(code, file),
  brotli: brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});

/** A script-tag build's sizes, from its file in packages/browser/dist. */
const measureFile = (name) => measure(readFileSync(`packages/browser/dist/${name}`), `packages/browser/dist/${name}`);

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
    'inkling.min.js': measureFile('inkling.min.js'),
    'inkling.vitals.min.js': measureFile('inkling.vitals.min.js'),
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
  const total = measureFile(file).gzip;
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
