import type { AnyEvent, JsonObject } from '@inkling/core';
import type { AccountSource } from '../store/types.js';
import { isFreeMailDomain } from './free-mail.js';

/** The account an event says its lead belongs to. */
export interface AccountClaim {
  /** The `group` id as given, or `domain:<lower-cased domain>`. */
  key: string;
  source: AccountSource;
  /** The `group` event's traits, when it carried any. */
  traits?: JsonObject;
}

/** The prefix of an account key made from an e-mail domain. */
export const DOMAIN_KEY_PREFIX = 'domain:';

// A domain name: labels of letters, digits and "-", at least two of them, 253 characters at most.
const DOMAIN = /^(?=.{3,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * The company domain of an e-mail address, lower-cased, or `undefined` when it has none worth an account: not an
 * address, or at a free-mail or disposable domain (`extra` adds a site's own).
 */
export function getCompanyDomain(email: unknown, extra?: ReadonlySet<string>): string | undefined {
  if (typeof email !== 'string' || email.length > 320) return undefined;
  const at = email.lastIndexOf('@');
  if (at < 1) return undefined;
  const domain = email
    .slice(at + 1)
    .trim()
    .toLowerCase()
    .replace(/\.$/, '');
  if (!DOMAIN.test(domain) || isFreeMailDomain(domain, extra)) return undefined;
  return domain;
}

/**
 * What an event says about its lead's account: an explicit one (a `group` event's `accountId`, else the event's
 * `account`), else the company domain of an `identify` event's `traits.email`. Never from an IP address: accounts
 * come only from what the site itself knows.
 */
export function getAccountClaim(event: AnyEvent, extra?: ReadonlySet<string>): AccountClaim | undefined {
  if (event.type === 'group') {
    const traits = event.props.traits;
    return { key: event.props.accountId, source: 'group', ...(traits ? { traits } : {}) };
  }
  if (event.account !== undefined) return { key: event.account, source: 'group' };
  if (event.type !== 'identify') return undefined;
  const domain = getCompanyDomain(event.props.traits?.['email'], extra);
  return domain === undefined ? undefined : { key: DOMAIN_KEY_PREFIX + domain, source: 'domain' };
}
