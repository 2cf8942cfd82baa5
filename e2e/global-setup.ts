// Fails the real-browser tests at once, with the fix, when what they need is missing.
import { existsSync } from 'node:fs';
import { checkChromium } from './chromium.js';

export default function setup(): void {
  checkChromium('the real-browser tests');
  for (const file of ['packages/browser/dist/inkling.min.js', 'packages/receiver/dist/index.js']) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build first (npm test does).`);
  }
}
