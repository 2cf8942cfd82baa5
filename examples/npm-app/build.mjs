// Bundles the example app as an app would: its import of @inkling/browser resolved from npm, tree-shaken
// and minified. Writes examples/npm-app/dist/app.js and prints its size.
import { mkdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { rollup } from 'rollup';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

const here = new URL('.', import.meta.url);
export async function buildApp() {
  const bundle = await rollup({ input: new URL('src/main.js', here).pathname, plugins: [resolve({ browser: true })] });
  const { output } = await bundle.generate({ format: 'es', plugins: [terser({ ecma: 2020 })] });
  mkdirSync(new URL('dist/', here), { recursive: true });
  writeFileSync(new URL('dist/app.js', here), output[0].code);
  return output[0].code;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const code = await buildApp();
  console.log(`examples/npm-app/dist/app.js: ${code.length} bytes, ${gzipSync(code, { level: 9 }).length} gzip`);
}
