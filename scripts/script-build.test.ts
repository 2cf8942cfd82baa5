// The script tag's build rewrites the bundle before terser (rollup.config.mjs): these check that each rewrite
// changes only what it may, on small programs where the answer is known.
import { readFileSync } from 'node:fs';
import { parseAst } from 'rollup/parseAst';
import { describe, expect, it } from 'vitest';
import { COMPILE_HINT, constToLet, functionsAsArrows, minify } from '../rollup.config.mjs';

type Plugin = { renderChunk(this: { parse: typeof parseAst }, code: string): { code: string } | null };
type AsyncPlugin = { renderChunk(this: { parse: typeof parseAst }, code: string): Promise<{ code: string }> };
const run = (plugin: Plugin, code: string) => plugin.renderChunk.call({ parse: parseAst }, code)?.code ?? code;
const iife = (body: string) => `(function () {\n${body}\n})();\n`;

describe('functions as arrows', () => {
  const arrows = (body: string) => run(functionsAsArrows() as Plugin, iife(body));

  it('writes a plain module-level function as an arrow function', () => {
    expect(arrows('function add(a, b = 1) { return a + b; }\nadd(1);')).toBe(iife('const add = (a, b = 1) => { return a + b; };\nadd(1);'));
    expect(arrows('async function load(url) { return fetch(url); }')).toBe(iife('const load = async (url) => { return fetch(url); };'));
  });

  it('leaves a function that code running before it reaches, directly or through other declarations', () => {
    const body = [
      'const early = first();',
      'function first() { return second(); }',
      'const viaValue = () => third();',
      'viaValue();',
      'function second() { return 1; }',
      'function third() { return 2; }',
      'function later() { return 3; }',
    ].join('\n');
    expect(arrows(body)).toBe(iife(body.replace('function later() { return 3; }', 'const later = () => { return 3; };')));
  });

  it('converts a function named before its declaration only inside function bodies that nothing calls yet', () => {
    expect(arrows('const f = () => g();\nfunction g() { return 1; }')).toBe(iife('const f = () => g();\nconst g = () => { return 1; };'));
  });

  it('leaves functions that use their own this, arguments or new.target, generators, and functions called with new', () => {
    const body = [
      'function self() { return this; }',
      'function args() { return arguments.length; }',
      'function target() { return new.target; }',
      'function* gen() {}',
      'function Made() {}',
      'new Made();',
      'function param(a = arguments) { return a; }',
    ].join('\n');
    expect(arrows(body)).toBe(iife(body));
  });

  it('looks into nested arrows for this, but not into nested functions', () => {
    expect(arrows('function outer() { return () => this; }')).toBe(iife('function outer() { return () => this; }'));
    expect(arrows('function outer() { return function () { return this; }; }')).toBe(
      iife('const outer = () => { return function () { return this; }; };'),
    );
  });
});

describe('const as let', () => {
  it('turns every const declaration into let, and nothing else', () => {
    const code = "const a = 1, { b } = o;\nfor (const x of xs) f(x);\nconst s = 'const ';";
    expect(run(constToLet() as Plugin, code)).toBe("let a = 1, { b } = o;\nfor (let x of xs) f(x);\nlet s = 'const ';");
  });
});

describe('the script tags as built', () => {
  // Chrome compiles a file that starts with this comment at once, not function by function as each is first called.
  it.each(['inkling.min.js', 'inkling.debug.min.js', 'inkling.vitals.min.js'])(
    '%s starts with the compile hint, on a line of its own',
    (file) => {
      const code = readFileSync(`packages/browser/dist/${file}`, 'utf8');
      expect(COMPILE_HINT).toBe('//# allFunctionsCalledOnLoad');
      expect(code.split('\n')[0]).toBe(COMPILE_HINT);
    },
  );
});

describe("the script tags' minifier", () => {
  // 60 internal properties used once each, met first, then one used 12 times: terser alone names that one last,
  // with two letters; the second pass gives it a letter of its own.
  const once = Array.from({ length: 60 }, (_, i) => `o._p${i} = ${i};`).join('\n');
  const code = `(() => {\nconst o = {};\n${once}\no._hot = 100;\n${'o._hot += 1;\n'.repeat(10)}g.out = o;\n})();`;
  const minified = async () => (await (minify('') as AsyncPlugin).renderChunk.call({ parse: parseAst }, code)).code;
  const run = (source: string) => {
    const g: { out?: Record<string, number> } = {};
    new Function('g', source)(g);
    return Object.values(g.out!).sort((a, b) => a - b);
  };

  it('gives the most used property the shortest name', async () => {
    const out = await minified();
    const uses = new Map<string, number>();
    for (const [, name] of out.matchAll(/\.(\w+)/g)) uses.set(name!, (uses.get(name!) ?? 0) + 1);
    const [hot] = [...uses].sort(([, a], [, b]) => b - a)[0]!;
    expect(out).not.toContain('_hot');
    expect(hot).toHaveLength(1);
  });

  it('keeps the program the same', async () => {
    expect(run(await minified())).toEqual(run(code));
  });
});
