/**
 * The production script tag's error messages: the code and where it is explained, without the long texts
 * (rollup.config.mjs puts this module in place of `messages.ts` for `inkling.min.js`). A bad option is named by
 * its attribute: that is what a site owner can change, and the only way the script tag takes options.
 *
 *   Inkling E3: data-site; see https://inkling.dev/docs/errors.md#e3
 */
import { kebab } from '../lib/kebab.js';
import type { getErrorMessage as full, getOptionMessage as fullOption, toAttributeMessage as fullAttribute } from './messages.js';

/** Where each code is explained; the anchor is the code in lower case (`#e3`). */
export const ERRORS_URL = 'https://inkling.dev/docs/errors.md#';

const link = (code: string) => `see ${ERRORS_URL}${code.toLowerCase()}`;

export const getOptionMessage: typeof fullOption = (code, name) => `Inkling ${code}: data-${kebab(name)}; ${link(code)}`;

/** Option messages here already name the attribute. */
export const toAttributeMessage: typeof fullAttribute = (message) => message;

export const getErrorMessage: typeof full = (code) => `Inkling ${code}: ${link(code)}`;

export const ERROR_CODES: string[] = [];
