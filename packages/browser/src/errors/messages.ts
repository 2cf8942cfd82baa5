/**
 * Inkling's error messages in full, by code. Each code has a heading in docs/errors.md with the message and
 * the fix. The npm build and `inkling.debug.min.js` use this module; the production script tag swaps it for
 * `codes.ts` (rollup.config.mjs), which keeps the code and a link to those headings: a visitor's browser never
 * needs the long texts.
 */
import { kebab } from '../lib/kebab.js';

const show = (value: unknown) => (typeof value === 'string' ? `"${value}"` : String(value));

/** What a bad option must be instead, by code; `detail` is the part only known at the check. */
const OPTIONS = {
  E1: () => 'your collector\'s http(s) URL, e.g. "https://collect.example.com/i"',
  E2: () => 'your collector\'s URL (or give "transports")',
  E3: () => 'up to 128 letters, digits, ".", ":", "-" or "_"',
  E4: () => '"pending", "granted" or "denied"',
  E5: () => 'kind names mapped to paths starting with "/", e.g. { webinar: "/events/*" }',
  E6: (example: unknown) => `a CSS selector, e.g. "${example}"`,
  E7: () => 'an object, e.g. { endpoint: "https://collect.example.com/i" }',
  E8: () => 'an array of transports',
  E9: () => 'transports with a send() method and unique names',
  E10: () => 'true or false',
  E11: () => 'topic names mapped to paths, e.g. { reconciliation: "/guides/close/*" }',
  E12: () => 'topic names of 1 to 64 characters mapped to paths starting with "/", e.g. { reconciliation: "/guides/close/*" }',
  E13: () => 'a CSS selector or an element',
  E14: () => 'at least 60000 (ms)',
  E15: () => 'a list of query parameter names',
  E16: (max: unknown) => `a whole number from 1 to ${max}`,
  E17: () => 'a function',
  E18: (problem: unknown) => `a model file from inkling calibrate (${problem})`,
  E19: () => 'paths starting with "/", e.g. "/events/*"',
};

/** Everything else that goes wrong: a missing attribute, a bad call, a failing collector or store. */
const OTHERS = {
  E20: () => 'option "endpoint" is missing: add data-endpoint="https://your-collector.example/i" to the script tag',
  E21: (name: unknown) => `track() needs an event name of 1 to 128 characters; got ${name}`,
  E22: (id: unknown) => `identify() needs your own id for the lead (1 to 256 characters, not an e-mail address); got ${id}`,
  E23: () => 'onIntent() needs a function',
  E24: (state: unknown) => `consent() takes "granted" or "denied"; got ${state}`,
  E25: (type: unknown, bytes: unknown, max: unknown) => `a ${type} event of ${bytes} bytes is over the ${max}-byte limit`,
  E26: (transport: unknown, status: unknown, events: unknown) => `${transport} answered ${status}; ${events} event(s) dropped`,
  E27: (transport: unknown, errors: unknown) => `${transport} failed ${errors} times in a row; paused until the browser is back online`,
  E28: (ms: unknown) => `IndexedDB did not open in ${ms} ms; events are kept in memory`,
  // Given the tracker, not its list of commands: the production build's short message never builds the list.
  E29: (name: unknown, tracker: unknown) =>
    `unknown command ${name}; use ${Object.entries(tracker as object)
      .filter(([key, value]) => /^[a-z]\w*$/i.test(key) && typeof value == 'function')
      .map(([key]) => key)
      .join(', ')}`,
  E30: (value: unknown) =>
    `group() needs your own id for the account (1 to 128 characters, not an e-mail address) and traits as an object, or null to leave it; got ${show(value)}`,
};

export type OptionErrorCode = keyof typeof OPTIONS;
export type ErrorCode = keyof typeof OTHERS;

/** A bad option's message: the option, what it must be, and the value given. */
export const getOptionMessage = (code: OptionErrorCode, name: string, value: unknown, detail?: unknown): string =>
  `Inkling: option "${name}" must be ${OPTIONS[code](detail)}; got ${show(value)}`;

/** Any other error's message; `args` are the values it names. */
export const getErrorMessage = (code: ErrorCode, ...args: unknown[]): string =>
  `Inkling: ${(OTHERS[code] as (...a: unknown[]) => string)(...args)}`;

/** Names the attribute in an option error from the script tag: that is what a site owner can change. */
export const toAttributeMessage = (message: string): string => message.replace(/option "(\w+)"/, (_, n: string) => `data-${kebab(n)}`);

/** Every code, for the test that finds each one documented. */
export const ERROR_CODES = [...Object.keys(OPTIONS), ...Object.keys(OTHERS)];
