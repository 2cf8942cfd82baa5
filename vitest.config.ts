import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (name: string) => fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url));

const file = (path: string) => fileURLToPath(new URL(`./packages/${path}`, import.meta.url));

// Unit tests import the packages from source, by package name; real-browser tests (e2e/) load the built files.
// `@inkling/core/test` (valid events of every type) is for tests only and is not in core's published exports.
// Subpaths come first: an alias also matches the paths under its name.
const alias = {
  '@inkling/core/test': file('core/test/events.ts'),
  '@inkling/receiver/internals': file('receiver/src/internals.ts'),
  '@inkling/receiver/verify': file('receiver/src/webhooks/verify.ts'),
  '@inkling/core': src('core'),
  '@inkling/browser': src('browser'),
  '@inkling/receiver': src('receiver'),
};

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      { resolve: { alias }, test: { name: 'core', include: ['packages/core/src/**/*.test.ts'], environment: 'node' } },
      {
        resolve: { alias },
        test: {
          name: 'browser',
          include: ['packages/browser/src/**/*.test.ts'],
          environment: 'happy-dom',
          setupFiles: ['packages/browser/test/setup.ts'],
        },
      },
      // The build checks use the built packages, as users do; only the test-only events come from source.
      {
        resolve: { alias: { '@inkling/core/test': alias['@inkling/core/test'] } },
        test: { name: 'build', include: ['scripts/**/*.test.ts'], environment: 'node' },
      },
      {
        resolve: { alias },
        // The shared-store tests need PostgreSQL and Redis: a missing server fails at once, with the command that starts it.
        test: {
          name: 'receiver',
          include: ['packages/receiver/src/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['packages/receiver/test/global-setup.ts'],
        },
      },
      {
        // No aliases: the real-browser tests use the built packages, as users do.
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          environment: 'node',
          // One Chromium at a time: the machine has two cores and the tests measure time.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
          globalSetup: ['e2e/global-setup.ts'],
        },
      },
    ],
  },
});
