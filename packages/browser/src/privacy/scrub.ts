/**
 * Removes secrets and e-mail addresses from URLs, titles and props before anything is stored or sent.
 */
import { LIMITS } from '@inkling/core';

/**
 * Query parameters removed from every URL by default: tokens, keys, codes, passwords, secrets,
 * signatures, session ids, e-mail addresses and phone numbers.
 */
export const DEFAULT_SCRUB_PARAMS =
  /^(.*token|auth.*|code|pass(wd|word)?|pwd|.*secret|.*key|sig(nature)?|.*session.*|sid|e-?mail|mail|phone|tel)$/i;

// An e-mail address, also when URL-encoded (%40).
const EMAIL = /[^\s/?&=#:;,<>"'()[\]@%]+(@|%40)[^\s/?&=#:;,<>"'()[\]@%]+\.[a-z]{2,}/gi;

/** Strings in props are cut to this length, and nesting to this depth: what the wire format accepts. */
export const MAX_PROP_CHARS = LIMITS.MAX_TEXT_CHARS * 4;
export const MAX_PROP_DEPTH = LIMITS.MAX_PROPS_DEPTH;

/** Replaces every e-mail address in `text` with `[email]`. */
export const scrubText = (text: string): string => text.replace(EMAIL, '[email]');

/** Whether `text` contains an e-mail address. */
export const hasEmail = (text: string): boolean => scrubText(text) != text;

// What identifies a person or grants access rather than naming a subject: a run of 6 digits (an order, customer
// or phone number), a word of 16 characters or more with a digit in it (a token, a key, a hash), a UUID.
const PRIVATE = /\d{6}|\b(?=\w*\d)\w{16}|[\da-f]{8}-[\da-f]{4}-/i;

/** Whether `text` holds an e-mail address, a token or an id: such a text is left out, not scrubbed. */
export const isPrivate = (text: string): boolean => PRIVATE.test(text) || hasEmail(text);

/** Tells whether a query parameter is to be dropped: the defaults, and the site's own names (any case). */
export const compileScrubParams =
  (names: readonly string[] = []) =>
  (name: string): boolean =>
    DEFAULT_SCRUB_PARAMS.test(name) || names.some((n) => n.toLowerCase() == name.toLowerCase());

/**
 * Scrubs a URL: drops the parameters `drop` names and any whose value is an e-mail address, the fragment
 * and credentials, and e-mail addresses in the path. Returns the path and query (`local`), or the URL.
 */
export function scrubUrl(href: string, drop: (name: string) => boolean, local?: boolean): string {
  const url = new URL(href, location.href);
  for (const [k, v] of [...url.searchParams]) if (drop(k) || hasEmail(v)) url.searchParams.delete(k);
  url.hash = url.username = url.password = '';
  return scrubText(local ? url.pathname + url.search : url.href).slice(0, MAX_PROP_CHARS);
}

/**
 * A JSON-safe deep copy of custom props that the wire format accepts: e-mail addresses in strings
 * replaced, strings cut to MAX_PROP_CHARS, nesting below MAX_PROP_DEPTH dropped, non-finite numbers as
 * null, functions and undefined left out, dates (anything with toJSON) as their JSON value.
 */
export function scrubProps(value: unknown, depth = 0): unknown {
  const type = typeof value;
  if (type == 'string') return scrubText(value as string).slice(0, MAX_PROP_CHARS);
  if (type == 'number') return isFinite(value as number) ? value : null;
  if (type == 'boolean' || value === null) return value;
  if (type != 'object' || depth > MAX_PROP_DEPTH) return undefined;
  const v = value as { toJSON?: () => unknown };
  if (typeof v.toJSON === 'function') return scrubProps(v.toJSON(), depth);
  if (Array.isArray(v)) return v.map((x) => scrubProps(x, depth + 1) ?? null);
  const out: Record<string, unknown> = {};
  for (const k in v) {
    const clean = scrubProps(v[k as keyof typeof v], depth + 1);
    if (clean !== undefined) out[k] = clean;
  }
  return out;
}
