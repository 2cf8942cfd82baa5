import { describe, expect, it } from 'vitest';
import { makeEvent } from '@inkling/core/test';
import { getAccountClaim, getCompanyDomain } from './claim.js';
import { isFreeMailDomain } from './free-mail.js';

describe('account claims', () => {
  it('takes a group id as given, and the event account of any other event', () => {
    const group = makeEvent('group', { props: { accountId: 'Northwind Traders', traits: { plan: 'team' } } });
    expect(getAccountClaim(group)).toEqual({ key: 'Northwind Traders', source: 'group', traits: { plan: 'team' } });
    expect(getAccountClaim(makeEvent('page_view', { account: 'northwind' }))).toEqual({ key: 'northwind', source: 'group' });
    expect(getAccountClaim(makeEvent('page_view'))).toBeUndefined();
  });

  it("makes a domain account of an identify's company e-mail, lower-cased, and none of free mail", () => {
    const identify = (email: unknown) => makeEvent('identify', { props: { userId: 'x', traits: { email } as never } });
    expect(getAccountClaim(identify('Ada.Lovelace@Northwind.COM'))).toEqual({ key: 'domain:northwind.com', source: 'domain' });
    expect(getAccountClaim(identify('ada@gmail.com'))).toBeUndefined();
    expect(getAccountClaim(identify('ada@eu.mailinator.com'))).toBeUndefined();
    expect(getAccountClaim(identify('ada@corp.example'), new Set(['corp.example']))).toBeUndefined();
    expect(getAccountClaim(identify(42))).toBeUndefined();
    // An identify's user id alone never makes an account: only traits.email does.
    expect(getAccountClaim(makeEvent('identify', { props: { userId: 'ada@northwind.com' } }))).toBeUndefined();
  });

  it('refuses what is not a domain', () => {
    for (const email of ['ada', '@northwind.com', 'ada@localhost', 'ada@10.0.0.1', 'ada@north wind.com', `ada@${'a'.repeat(300)}.com`])
      expect(getCompanyDomain(email)).toBeUndefined();
    expect(getCompanyDomain('ada@northwind.com.')).toBe('northwind.com');
    // An address whose local part was scrubbed still names its company.
    expect(getCompanyDomain('[email]@Northwind.com')).toBe('northwind.com');
    expect(getCompanyDomain('[email]')).toBeUndefined();
  });

  it('covers the subdomains of a listed domain, and only those', () => {
    expect(isFreeMailDomain('yahoo.co.uk')).toBe(true);
    expect(isFreeMailDomain('mail.yahoo.co.uk')).toBe(true);
    expect(isFreeMailDomain('notgmail.com')).toBe(false);
  });
});
