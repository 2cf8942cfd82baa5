// Debian's Chromium through playwright-core, for the real-browser tests and the benchmark: never a downloaded browser.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** No GPU, no QUIC and no background connections (docs/architecture.md, "Tests"): the test machines have no network. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Throws, with the fix, unless Debian's Chromium is installed.
 * @param {string} who - what needs it, as the subject of "need it"
 */
export function checkChromium(who) {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}, and ${who} need it. ` +
        "Install Debian's package as root: apt-get update && apt-get install -y chromium (.ci/run does this). No browser is ever downloaded.",
    );
  }
}

/**
 * Launches Debian's Chromium with the flags above; `options` override them.
 * @param {import('playwright-core').LaunchOptions} [options]
 * @returns {Promise<import('playwright-core').Browser>}
 */
export function launchChromium(options = {}) {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, ...options });
}
