// Launches Debian's Chromium through playwright-core: never a downloaded browser.
import { chromium } from 'playwright-core';
import type { Browser, LaunchOptions } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** DESIGN.md section 10: no GPU, no QUIC, and no background connections (this machine's network is closed). */
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

export function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, ...options });
}
