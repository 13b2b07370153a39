import { describe, expect, it } from 'vitest';
import { isPrivateAddress } from '../../../shared/fetch/index.ts';

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1', '127.8.9.10', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.0.10', '169.254.169.254', '169.254.0.1',
    '100.64.0.1', '100.127.255.254', '0.0.0.0', '224.0.0.1', '255.255.255.255', '198.18.0.5',
    '::1', '::', 'fe80::1', 'fc00::1', 'fd00:ec2::254', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:169.254.169.254', '64:ff9b::a9fe:a9fe', '[::1]',
  ])('%s is refused', (a) => expect(isPrivateAddress(a)).toBe(true));

  it.each(['211.115.77.12', '8.8.8.8', '172.32.0.1', '100.128.0.1', '169.253.1.1', '2404:6800:4004:80f::200e', '::ffff:8.8.8.8'])('%s is public', (a) =>
    expect(isPrivateAddress(a)).toBe(false),
  );
});
