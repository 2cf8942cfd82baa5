/**
 * A connection URL without its password, for messages and logs: `postgres://inkling:secret@db/inkling` becomes
 * `postgres://inkling:***@db/inkling`. Anything else is returned as is.
 */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/]*):[^@/]*@/i, '$1:***@');
}
