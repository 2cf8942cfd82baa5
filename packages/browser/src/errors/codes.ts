/**
 * The production script tag's error messages: the code and where it is explained, without the long texts
 * (rollup.config.mjs puts this module in place of `messages.ts` for `inkling.min.js`). An option's name stays:
 * it is the attribute to fix.
 *
 *   Inkling E3: option "site"; see https://inkling.dev/docs/errors.md#e3
 */
import type { getErrorMessage as full, getOptionMessage as fullOption } from './messages.js';

/** Where each code is explained; the anchor is the code in lower case (`#e3`). */
export const ERRORS_URL = 'https://inkling.dev/docs/errors.md#';

const link = (code: string) => `see ${ERRORS_URL}${code.toLowerCase()}`;

export const getOptionMessage: typeof fullOption = (code, name) => `Inkling ${code}: option "${name}"; ${link(code)}`;

export const getErrorMessage: typeof full = (code) => `Inkling ${code}: ${link(code)}`;

export const ERROR_CODES: string[] = [];
