import type { AnyEvent } from '@inkling/core';

/** The user an event claims to come from: `identify`'s `userId`, else the event's `user`. */
export function getClaim(event: AnyEvent): string | undefined {
  return event.type === 'identify' ? event.props.userId : event.user;
}

/**
 * The texts of the identity notes on a lead's timeline. A note's text is part of its unique key (a repeated claim
 * adds nothing, a merge drops a note the known lead already has), so both stores must write the same words.
 */
export const IDENTITY_NOTES = {
  identified: (visitor: string, claim: string) => `visitor ${visitor} identified as ${claim}`,
  conflict: (visitor: string, claim: string, kept: string) => `visitor ${visitor} claimed to be ${claim}; kept as ${kept}`,
  joined: (visitor: string, claim: string) => `visitor ${visitor} identified as ${claim}; their anonymous history joined this lead`,
};
