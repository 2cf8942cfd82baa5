// Fails the real-browser tests at once, with the fix, when what they need is missing.
import { existsSync } from 'node:fs';
import { CHROMIUM } from './chromium.js';

export default function setup(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}, and the real-browser tests need it. ` +
        'Install Debian\'s package as root: apt-get update && apt-get install -y chromium (.ci/run does this). No browser is ever downloaded.',
    );
  }
  for (const file of ['packages/browser/dist/inkling.min.js', 'packages/receiver/dist/index.js']) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build first (npm test does).`);
  }
}
