import { MAX_ACCOUNT_CHARS } from '@inkling/core';
import type { GroupProps, JsonObject } from '@inkling/core';
import { getErrorMessage } from './errors/messages.js';
import { scrubProps } from './privacy/scrub.js';

/**
 * What `group()` hands on: a `group` event's props, or `accountId: null` to leave the account, which only
 * changes what later events carry and is never sent.
 */
export type GroupCall = Omit<GroupProps, 'accountId'> & { accountId: string | null };

/**
 * What `group(id, traits)` emits: the id trimmed, the traits scrubbed like identify traits (e-mail addresses
 * replaced, strings and nesting cut to the wire format's limits). Throws E30 for an id that is not a string of
 * 1 to 128 characters, or holds an e-mail address ("@", also as "%40") or a control character, and for traits
 * that are not an object: an event the collector would refuse would take its whole batch with it.
 */
export function toGroup(id: unknown, traits?: unknown): ['group', GroupProps] {
  const props: GroupCall = { accountId: null };
  if (id !== null) {
    const account = typeof id == 'string' ? id.trim() : '';
    if (!account || account.length > MAX_ACCOUNT_CHARS || /[@\p{Cc}]|%40/u.test(account)) throw new TypeError(getErrorMessage('E30', id));
    props.accountId = account;
    if (traits != null) {
      if (typeof traits != 'object' || Array.isArray(traits)) throw new TypeError(getErrorMessage('E30', traits));
      props.traits = scrubProps(traits) as JsonObject;
    }
  }
  return ['group', props as GroupProps];
}
