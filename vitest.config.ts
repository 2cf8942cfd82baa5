import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (name: string) => fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url));

// Unit tests import the packages from source; real-browser tests (e2e/) load the built files.
const alias = {
  '@inkling/core': src('core'),
  '@inkling/browser': src('browser'),
  '@inkling/receiver': src('receiver'),
};

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      { resolve: { alias }, test: { name: 'core', include: ['packages/core/src/**/*.test.ts'], environment: 'node' } },
      { resolve: { alias }, test: { name: 'browser', include: ['packages/browser/src/**/*.test.ts'], environment: 'happy-dom', setupFiles: ['packages/browser/test/setup.ts'] } },
      { test: { name: 'build', include: ['scripts/**/*.test.ts'], environment: 'node' } },
      {
        resolve: { alias },
        // The shared-store tests need PostgreSQL and Redis: a missing server fails at once, with the command that starts it.
        test: { name: 'receiver', include: ['packages/receiver/src/**/*.test.ts'], environment: 'node', globalSetup: ['packages/receiver/test/global-setup.ts'] },
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
