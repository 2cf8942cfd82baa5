import type { EventPropsMap, JsonObject } from '@inkling/core';
import { getErrorMessage } from './errors/messages.js';
import { hasEmail, scrubProps } from './privacy/scrub.js';

/**
 * What `track(name, props)` emits: a `track` event with the props scrubbed of e-mail addresses. Throws E21 for a
 * name that is not a string of 1 to 128 characters.
 */
export function toTrack(name: unknown, props?: JsonObject): ['track', EventPropsMap['track']] {
  if (typeof name !== 'string' || !name || name.length > 128) throw new TypeError(getErrorMessage('E21', name));
  return ['track', { ...(scrubProps(props ?? {}) as JsonObject), name }];
}

/**
 * What `identify(id, traits)` emits: an `identify` event, its traits scrubbed. Throws E22 for an id that is not a
 * string of 1 to 256 characters, or holds an e-mail address (it would be scrubbed, and link nothing).
 * `group()`'s counterpart is `toGroup` in `account.ts`.
 */
export function toIdentify(id: unknown, traits?: JsonObject): ['identify', EventPropsMap['identify']] {
  if (typeof id !== 'string' || !id || id.length > 256 || hasEmail(id)) throw new TypeError(getErrorMessage('E22', id));
  return ['identify', traits ? { userId: id, traits: scrubProps(traits) as JsonObject } : { userId: id }];
}
