import { describe, expect, it } from 'vitest';
import { isForbiddenAddress, isIpLiteral, parseIpv4, parseIpv6 } from '../../src/listing/ip-address.ts';

describe('ip-address', () => {
  it.each([
    '127.0.0.1', '127.255.255.254', '10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '100.127.255.255',
    '0.0.0.0', '224.0.0.1', '239.255.255.250', '255.255.255.255', '240.0.0.1', '192.0.2.1', '198.51.100.1', '203.0.113.1', '198.18.0.1',
    '::', '::1', '[::1]', '::ffff:127.0.0.1', '::ffff:8.8.8.8', '::ffff:7f00:1', 'fe80::1', 'fc00::1', 'fd12:3456::1', 'ff02::1',
    '64:ff9b::8.8.8.8', '2001:db8::1', '2002:c0a8:101::1', '2001::1', '3fff::1', 'fe80::1%eth0', 'not-an-ip', '', '1.2.3', '256.1.1.1',
  ])('%s is refused', (a) => {
    expect(isForbiddenAddress(a)).toBe(true);
  });

  it.each(['8.8.8.8', '93.184.216.34', '172.32.0.1', '100.128.0.1', '1.1.1.1', '2606:4700:4700::1111', '2a00:1450:4001:81b::200e', '[2606:4700::1]'])('%s is allowed', (a) => {
    expect(isForbiddenAddress(a)).toBe(false);
  });

  it('parses IPv6 forms', () => {
    expect(parseIpv6('::ffff:127.0.0.1')).toEqual([0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]);
    expect(parseIpv6('1:2:3:4:5:6:7:8')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(parseIpv6('1::2::3')).toBeNull();
    expect(parseIpv6('1:2:3:4:5:6:7:8:9')).toBeNull();
    expect(parseIpv4('01.2.3.4')).toEqual([1, 2, 3, 4]);
    expect(isIpLiteral('example.com')).toBe(false);
    expect(isIpLiteral('[::1]')).toBe(true);
  });
});
