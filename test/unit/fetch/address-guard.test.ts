import { describe, expect, it } from 'vitest';
import { isPrivateAddress } from '../../../shared/fetch/index.ts';

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1',
    '127.8.9.10',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.0.10',
    '169.254.169.254',
    '169.254.0.1',
    '100.64.0.1',
    '100.127.255.254',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '198.18.0.5',
    '::1',
    '::',
    'fe80::1',
    'fc00::1',
    'fd00:ec2::254',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:169.254.169.254',
    '64:ff9b::a9fe:a9fe',
    '[::1]',
  ])('%s is refused', (a) => expect(isPrivateAddress(a)).toBe(true));

  // Every way an IPv6 address can carry an IPv4 one, pointing at loopback or the metadata service.
  it.each([
    ['::7f00:1', 'IPv4-compatible, hex'],
    ['::127.0.0.1', 'IPv4-compatible, dotted'],
    ['::a9fe:a9fe', 'IPv4-compatible metadata'],
    ['::ffff:0:7f00:1', 'SIIT (rfc6145)'],
    ['::ffff:0:127.0.0.1', 'SIIT, dotted'],
    ['0:0:0:0:0:ffff:7f00:1', 'IPv4-mapped, long form'],
    ['2002:7f00:1::', '6to4 of 127.0.0.1'],
    ['2002:a9fe:a9fe::1', '6to4 of the metadata service'],
    ['2002:c0a8:1::', '6to4 of 192.168.0.1'],
    ['64:ff9b::7f00:1', 'NAT64 well-known prefix'],
    ['64:ff9b::10.0.0.1', 'NAT64, dotted'],
    ['64:ff9b:1::', 'NAT64 local-use prefix'],
    ['64:ff9b:1:ffff::a9fe:a9fe', 'NAT64 local-use prefix, any host'],
    ['2001:0:7f00:1::1', 'Teredo with a loopback server'],
    ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'Teredo with client 127.0.0.1'],
    ['fe80::1%eth0', 'link-local with a zone'],
    ['2001:db8::1', 'documentation'],
    ['ff02::1', 'multicast'],
  ])('%s (%s) is refused', (a) => expect(isPrivateAddress(a)).toBe(true));

  it.each([
    '211.115.77.12',
    '8.8.8.8',
    '172.32.0.1',
    '100.128.0.1',
    '169.253.1.1',
    '2404:6800:4004:80f::200e',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
    '2001:0:4136:e378:8000:63bf:f7f7:f7f7',
  ])('%s is public', (a) => expect(isPrivateAddress(a)).toBe(false));

  it('a host name is not an address (the resolver checks what it resolves to)', () => {
    expect(isPrivateAddress('localhost')).toBe(false);
    expect(isPrivateAddress('www.yna.co.kr')).toBe(false);
  });
});
