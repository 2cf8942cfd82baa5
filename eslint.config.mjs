// One lint configuration for the whole repository: ESLint's and typescript-eslint's recommended rules, with the
// few exceptions the code relies on on purpose.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      'examples/nextjs/.next/**',
      'examples/nextjs/next-env.d.ts',
      'test-results/**',
      'scripts/bench/.cache/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      // `_name` marks a deliberately unused binding; a caught error is often deliberately ignored.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // The browser code uses `a && b()` and `c ? d() : e()` as statements: they minify smaller than `if`.
      '@typescript-eslint/no-unused-expressions': ['error', { allowShortCircuit: true, allowTernary: true }],
      // `try { storage } catch {}`: a browser that refuses storage is a case to degrade in, not an error.
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  {
    // A package reaches another by its name (and its declared subpaths), never by a path into its folder.
    files: ['packages/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ regex: '^(\\.\\./)+(core|browser|receiver)/', message: 'Import another package by its name, e.g. @inkling/core.' }],
        },
      ],
    },
  },
  {
    // The demo site's plain script reads the global the snippet above it defines.
    files: ['examples/site/**/*.js'],
    languageOptions: { globals: { inkling: 'writable' } },
  },
);
