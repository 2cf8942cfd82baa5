// Builds every package: ESM for npm, CommonJS beside it for `require()` (declarations come from `tsc -b`), and the
// minified script-tag IIFE.
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, resolve as resolvePath } from 'node:path';
import resolve from '@rollup/plugin-node-resolve';
import typescript from '@rollup/plugin-typescript';
import { minify as terser } from 'terser';

const ts = (target) =>
  typescript({
    tsconfig: false,
    exclude: ['**/*.test.ts', '**/test/**', 'e2e/**', 'scripts/**', 'examples/**'],
    compilerOptions: {
      target,
      module: 'ESNext',
      moduleResolution: 'Bundler',
      lib: ['ES2023', 'DOM', 'DOM.Iterable'],
      types: ['node'],
      strict: true,
      verbatimModuleSyntax: true,
      resolveJsonModule: true,
      skipLibCheck: true,
      declaration: false,
      sourceMap: false,
      noEmitOnError: false,
    },
    // Type errors are reported by `tsc -b`, which runs after this build; transpiling alone keeps it fast.
    noForceEmit: true,
  });

const deps = (pkg) => {
  const json = JSON.parse(readFileSync(`packages/${pkg}/package.json`, 'utf8'));
  return [
    ...Object.keys(json.dependencies ?? {}),
    ...Object.keys(json.peerDependencies ?? {}),
    ...Object.keys(json.optionalDependencies ?? {}),
  ];
};

// Everything a package depends on stays an import, so npm users' bundlers dedupe it.
const external = (pkg) => {
  const names = new Set([...deps(pkg), ...builtinModules]);
  return (id) => id.startsWith('node:') || names.has(id) || [...names].some((n) => id.startsWith(`${n}/`));
};

// Property names the script tag mangles (docs/architecture.md gives the rule): every `_`-prefixed internal
// field, and these names, which in the script tag never leave it: nothing outside reads them (it has no `queue`,
// `model` or programmatic options) and nothing stores them. A name a source quotes (`dataset['site']`) is never
// mangled, whatever this list says.
export const MANGLED_PROPERTIES = new RegExp(
  `^(_[a-zA-Z]|(${[
    // Queue limits (options.ts DEFAULT_LIMITS).
    'maxEvents|maxBytes|maxAgeMs|maxAttempts|batchEvents|batchBytes|batchDelayMs',
    // The model's own fields; never its feature keys, which are looked up by string (`conversions` is both).
    'halfLifeDays|levels|warmExit|hotExit|minKinds|warm|hot|points|intercept|weights',
    // Options only script-options.ts sets, and the resolved queue limits.
    'visitTimeoutMs|scrubParams|respectGpc|respectDnt|autoPageViews|anonymous|kinds|limits',
    // The script's own transports (no other can be given to it) and what the queue hands them and gets back.
    'accepts|persist|send|types|unload|retryAfter',
    // What the tracker's parts pass each other: the queue's dependencies, the model's version, a summary's
    // weighted reasons, an article's reading time.
    'tab|alive|report|store|version|reason|weight|neededMs',
  ].join('|')})$)`,
);

// Terser for the script tag. `unsafe` here rewrites `new Error(x)` as `Error(x)`, `String(x)` as `x + ''` and
// template literals as concatenation: the same values for everything this code passes them. `builtins` lets the
// names listed above be mangled even where a browser object has a property of that name (the model's `points`):
// the script never reads a name on the list from a browser object.
export const TERSER_OPTIONS = {
  ecma: 2020,
  module: false,
  compress: { passes: 7, inline: 1, unsafe: true, unsafe_arrows: true, unsafe_comps: true, pure_getters: true, keep_fargs: false },
  mangle: { properties: { regex: MANGLED_PROPERTIES, keep_quoted: true, builtins: true } },
  format: { comments: false },
};

// The script tags start with V8's explicit compile hint: nearly every function of theirs runs while the page
// loads, so Chrome compiles them all at once instead of pre-parsing each and parsing it again on its first call
// (measured: the script tag's start-up on the benchmark's article went from 14.7 to 10.0 ms for 30 bytes gzip).
// Other engines read it as a comment.
export const COMPILE_HINT = '//# allFunctionsCalledOnLoad';
// Terser with its own copy of the options: it keeps a property-name cache and the quoted names in the ones it is given.
const runTerser = (code, preamble, nameCache) =>
  terser(code, {
    ...TERSER_OPTIONS,
    mangle: { ...TERSER_OPTIONS.mangle, properties: { ...TERSER_OPTIONS.mangle.properties } },
    format: { ...TERSER_OPTIONS.format, preamble },
    nameCache,
  });

// The script tags' minifier. Terser names the mangled properties in the order it meets them, so a property used once
// may get `a` and one used fifteen times (`_stop`) `oe`. The first run tells the names it gave and how often each
// is used; the second gives the shortest of the same names to the most used properties. Only the names it had
// given change places, each already judged free of every name kept, so the program is the same (12 bytes gzip).
export const minify = (preamble) => ({
  name: 'terser',
  async renderChunk(code) {
    const first = {};
    const uses = new Map();
    const count = (node) => {
      const key = node.computed ? null : node.type === 'MemberExpression' ? node.property : node.type === 'Property' ? node.key : null;
      if (key?.type === 'Identifier') uses.set(key.name, (uses.get(key.name) ?? 0) + 1);
      for (const value of Object.values(node)) {
        for (const child of Array.isArray(value) ? value : [value]) if (typeof child?.type === 'string') count(child);
      }
    };
    count(this.parse((await runTerser(code, preamble, first)).code));
    const given = Object.entries(first.props.props);
    const shortest = given.map(([, name]) => name).sort((a, b) => a.length - b.length);
    const byUse = [...given].sort(([, a], [, b]) => (uses.get(b) ?? 0) - (uses.get(a) ?? 0));
    const props = Object.fromEntries(byUse.map(([property], i) => [property, shortest[i]]));
    return { code: (await runTerser(code, preamble, { props: { props } })).code, map: null };
  },
});

// Before terser: each module-level function declaration of the script becomes an arrow function (`let f = (a) =>
// ...`), which terser writes without `function` and `return`. Only where that is the same program: no `this`,
// `arguments` or `new.target` of its own, not a generator, never called with `new`, and nothing that runs before
// its declaration can reach it (hoisting let it be called there; an arrow function would not exist yet). "Reach" is
// judged by name, which errs on the side of leaving a function as it is: code that runs at once (outside any function
// body) before the declaration must not name it, nor name anything declared at module level whose declaration names
// it, and so on.
export const functionsAsArrows = () => ({
  name: 'functions-as-arrows',
  renderChunk(code) {
    const iife = this.parse(code).body[0]?.expression;
    const body = iife?.callee?.body?.body ?? [];
    const children = (node) =>
      Object.values(node).flatMap((value) => (Array.isArray(value) ? value : [value]).filter((child) => typeof child?.type === 'string'));
    const isFunction = (node) => /^(FunctionDeclaration|FunctionExpression|ArrowFunctionExpression)$/.test(node.type);
    // Names used at once (outside any function body), with where; names each module-level declaration uses at all.
    const atOnce = [];
    const names = (node, into = new Set()) => {
      if (node.type === 'Identifier') into.add(node.name);
      children(node).forEach((child) => names(child, into));
      return into;
    };
    const walkAtOnce = (node) => {
      if (node.type === 'Identifier') atOnce.push([node.name, node.start]);
      // Naming a binding runs nothing (a destructuring pattern may: its defaults are walked).
      if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier') return node.init && walkAtOnce(node.init);
      if (!isFunction(node)) children(node).forEach(walkAtOnce);
    };
    body.forEach(walkAtOnce);
    const declared = new Map();
    for (const statement of body) {
      if (statement.type === 'FunctionDeclaration') declared.set(statement.id.name, names(statement));
      if (statement.type === 'VariableDeclaration')
        for (const d of statement.declarations) for (const n of names(d.id)) declared.set(n, names(d));
    }
    const reaches = (from, to, seen = new Set()) =>
      from === to || (!seen.has(from) && (seen.add(from), [...(declared.get(from) ?? [])].some((n) => reaches(n, to, seen))));
    const newed = new Set();
    const walkNew = (node) => {
      if (node.type === 'NewExpression' && node.callee.type === 'Identifier') newed.add(node.callee.name);
      children(node).forEach(walkNew);
    };
    body.forEach(walkNew);
    const ownThis = (node) =>
      node.type === 'ThisExpression' ||
      node.type === 'MetaProperty' ||
      (node.type === 'Identifier' && node.name === 'arguments') ||
      children(node).some((child) => !/^Function(Declaration|Expression)$/.test(child.type) && ownThis(child));
    const edits = [];
    for (const f of body) {
      if (f.type !== 'FunctionDeclaration' || f.generator || newed.has(f.id.name) || [f.body, ...f.params].some(ownThis)) continue;
      if (atOnce.some(([n, at]) => at < f.start && reaches(n, f.id.name))) continue;
      const params = f.params.map((p) => code.slice(p.start, p.end)).join(', ');
      edits.push([f.start, f.body.start, `const ${f.id.name} = ${f.async ? 'async ' : ''}(${params}) => `], [f.end, f.end, ';']);
    }
    for (const [start, end, text] of edits.sort((a, b) => b[0] - a[0])) code = code.slice(0, start) + text + code.slice(end);
    return { code, map: null };
  },
});

// Before terser: every `const` declaration becomes `let`, two bytes shorter and the same binding once the code is
// type-checked (nothing assigns to a const). Terser keeps `const` as written, and joins and inlines more `let`s.
export const constToLet = () => ({
  name: 'const-to-let',
  renderChunk(code) {
    const starts = [];
    const walk = (node) => {
      if (node.type === 'VariableDeclaration' && node.kind === 'const') starts.push(node.start);
      for (const value of Object.values(node)) {
        for (const child of Array.isArray(value) ? value : [value]) if (typeof child?.type === 'string') walk(child);
      }
    };
    walk(this.parse(code));
    for (const start of starts.sort((a, b) => b - a)) code = `${code.slice(0, start)}let${code.slice(start + 5)}`;
    return { code, map: null };
  },
});

// Resolves errors/messages.js (the messages in full) to errors/codes.ts (codes and links) where it is imported.
const errorCodes = () => ({
  name: 'error-codes',
  resolveId: (source, importer) =>
    importer && /(^|\/)errors\/messages\.js$/.test(source)
      ? resolvePath(dirname(importer), source.replace(/messages\.js$/, 'codes.ts'))
      : null,
});

// Modules the script tag runs without, each replaced by a stand-in there (where the importer's path matches). It
// can only run the default model (a calibrated model is an npm option): core's model/fold-features.js folds what
// only the calibrate features read, so it becomes a fold of nothing that names nothing in a summary;
// model/logistic.js tells a logistic model from a points one, so it always says no, and the logistic arithmetic
// drops out as dead code; model/own-kinds.js tells whether a model scores a kind the default one does not record,
// which the default model never does. Its options come from data- attributes alone: browser's lib/programmatic.js
// says so, and the code for the options only a program can set drops out.
const STAND_INS = {
  'fold-features': [
    /\/core\/src\/model\//,
    'export const foldFeatures = () => {}, addFeatureRatios = foldFeatures; export const foldedSignal = () => undefined, isBounce = () => false;',
  ],
  logistic: [/\/core\/src\/model\//, 'export const isLogistic = () => false;'],
  'own-kinds': [/\/core\/src\/model\//, 'export const scoresKind = () => false;'],
  programmatic: [/\/browser\/src\//, 'export const programmatic = false;'],
};
const standIns = () => ({
  name: 'stand-ins',
  resolveId: (source, importer) => {
    const name = importer && /\/([\w-]+)\.js$/.exec(source)?.[1];
    return name && Object.hasOwn(STAND_INS, name) && STAND_INS[name][0].test(importer) ? `\0inkling:${name}` : null;
  },
  load: (id) => (id.startsWith('\0inkling:') ? STAND_INS[id.slice(9)][1] : null),
});

// The script tag compiles core from its TypeScript source, at the script's own target, rather than core's npm build
// (ES2020, for older bundlers): `??=` and friends then stay as written. Core has no side effects (its package.json
// says so), which is what lets unused modules drop out.
const coreSource = () => ({
  name: 'core-source',
  resolveId: (source) => (source === '@inkling/core' ? { id: resolvePath('packages/core/src/index.ts'), moduleSideEffects: false } : null),
});

const esm = (pkg, input, target = 'ES2022') => ({
  input,
  external: external(pkg),
  // One file per source module, so bundlers (and our own script build) drop what is not imported.
  output: {
    dir: `packages/${pkg}/dist`,
    format: 'es',
    preserveModules: true,
    preserveModulesRoot: `packages/${pkg}/src`,
    entryFileNames: '[name].js',
  },
  plugins: [ts(target), resolve({ browser: pkg === 'browser' })],
});

// The same modules as CommonJS in dist/cjs, for `require()` (the `require` export condition). Still one file per
// module: a lazy `import()` (the SQLite, PostgreSQL and Redis drivers) stays a lazy `require()`, never a top-level one.
const cjs = (pkg, input, target = 'ES2022') => ({
  input,
  external: external(pkg),
  output: {
    dir: `packages/${pkg}/dist/cjs`,
    format: 'cjs',
    exports: 'named',
    preserveModules: true,
    preserveModulesRoot: `packages/${pkg}/src`,
    entryFileNames: '[name].cjs',
  },
  plugins: [ts(target), resolve({ browser: pkg === 'browser' })],
});

const config = [
  esm('core', { index: 'packages/core/src/index.ts' }, 'ES2020'),
  cjs('core', { index: 'packages/core/src/index.ts' }, 'ES2020'),
];

if (existsSync('packages/browser/src/index.ts')) {
  const browser = { index: 'packages/browser/src/index.ts', vitals: 'packages/browser/src/vitals.ts' };
  config.push(esm('browser', browser, 'ES2020'), cjs('browser', browser, 'ES2020'));
  // The production script tag carries error codes and a link to docs/errors.md instead of the messages; the debug
  // build of the same source keeps them in full, as the npm build does.
  for (const [input, file, codes] of [
    ['packages/browser/src/script.ts', 'inkling.min.js', true],
    ['packages/browser/src/script.ts', 'inkling.debug.min.js', false],
    ['packages/browser/src/script-vitals.ts', 'inkling.vitals.min.js', true],
  ]) {
    config.push({
      input,
      output: { file: `packages/browser/dist/${file}`, format: 'iife', strict: false },
      plugins: [
        ...(codes ? [errorCodes(), standIns()] : []),
        coreSource(),
        ts('ES2022'),
        resolve({ browser: true }),
        functionsAsArrows(),
        constToLet(),
        minify(COMPILE_HINT),
      ],
    });
  }
}

if (existsSync('packages/receiver/src/index.ts')) {
  const entries = Object.fromEntries(
    ['index', 'internals', 'cli', 'webhooks/verify']
      .filter((n) => existsSync(`packages/receiver/src/${n}.ts`))
      .map((n) => [n, `packages/receiver/src/${n}.ts`]),
  );
  // The CLI (top-level await) is ESM only: `bin/inkling.js` imports it.
  const { cli: _cli, ...library } = entries;
  config.push(esm('receiver', entries), cjs('receiver', library));
}

export default config;
