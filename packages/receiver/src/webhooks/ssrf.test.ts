import { describe, expect, it } from 'vitest';
import { InklingError } from '../errors.js';
import { sendWithNode } from './node-sender.js';
import { isPrivateAddress } from './ssrf.js';

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1',
    '127.8.9.10',
    '10.0.0.1',
    '10.255.1.2',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '0.0.0.0',
    '100.64.0.1',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    '[::1]',
    'fe80::1',
    'fe80::1%eth0',
    'fc00::1',
    'fd12:3456::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '::ffff:169.254.169.254',
    '64:ff9b::a9fe:a9fe',
    '2002:0a00:0001::1',
    'ff02::1',
    'not an address',
  ])('refuses %s', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '192.169.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '2a00:1450:4001:82b::200e'])(
    'allows %s',
    (address) => {
      expect(isPrivateAddress(address)).toBe(false);
    },
  );
});

describe('sendWithNode', () => {
  const send = (url: string) =>
    sendWithNode({ url, headers: {}, body: '{}', timeoutMs: 1000, allowPrivateNetworks: false }).then(
      () => 'sent',
      (e: unknown) => (e instanceof InklingError ? e.code : String(e)),
    );

  it.each([
    'http://127.0.0.1:9/hooks',
    'http://10.1.2.3/hooks',
    'http://[::1]:9/hooks',
    'http://169.254.169.254/latest/meta-data',
    'http://[::ffff:127.0.0.1]/x',
    'http://0.0.0.0:9/',
  ])('refuses %s without allowPrivateNetworks', async (url) => {
    expect(await send(url)).toBe('ssrf_blocked');
  });

  it('refuses other schemes', async () => {
    expect(await send('file:///etc/passwd')).toBe('invalid_url');
  });
});
