/** One client key for every rate limiter: IPv4 by address, IPv6 by /64. */
import { describe, expect, it } from 'vitest';
import { clientKey, SHARED_CLIENT } from '../../src/domain/client-key';
import { clientIp } from '../../src/lib/client';

describe('clientKey', () => {
  it('keys IPv4 clients by address', () => {
    expect(clientKey('203.0.113.7')).toBe('ip4:203.0.113.7');
    expect(clientKey('203.0.113.8')).toBe('ip4:203.0.113.8');
  });

  it('keys IPv6 clients by their /64, however the address is written', () => {
    const key = 'ip6:2001:0db8:0001:0002::/64';
    expect(clientKey('2001:db8:1:2::1')).toBe(key);
    expect(clientKey('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe(key);
    expect(clientKey('2001:0DB8:0001:0002:0:0:0:9')).toBe(key);
    expect(clientKey('2001:db8:1:2:a:b:1.2.3.4')).toBe(key);
    expect(clientKey('2001:db8:1:2::1%eth0')).toBe(key);
    expect(clientKey('2001:db8:1:3::1')).toBe('ip6:2001:0db8:0001:0003::/64');
    expect(clientKey('::1')).toBe('ip6:0000:0000:0000:0000::/64');
  });

  it('keys IPv4-mapped IPv6 addresses as their IPv4 address', () => {
    expect(clientKey('::ffff:203.0.113.7')).toBe('ip4:203.0.113.7');
    expect(clientKey('::ffff:cb00:7107')).toBe('ip4:203.0.113.7');
  });

  it('shares one key among clients without an address, and bounds anything unparseable', () => {
    expect(clientKey('')).toBe(SHARED_CLIENT);
    expect(clientKey('   ')).toBe(SHARED_CLIENT);
    expect(clientKey('999.1.1.1')).toBe('other:999.1.1.1');
    expect(clientKey('1:2:3::4::5')).toBe('other:1:2:3::4::5');
    expect(clientKey('x'.repeat(100))).toBe(`other:${'x'.repeat(64)}`);
  });
});

describe('clientIp', () => {
  const headers = new Headers({ 'CF-Connecting-IP': '203.0.113.7', 'X-Forwarded-For': '198.51.100.1' });

  it('trusts CF-Connecting-IP where the setting says the edge sets it (the default)', () => {
    expect(clientIp(headers, { TRUST_CLIENT_IP_HEADER: 'true' })).toBe('203.0.113.7');
    expect(clientIp(headers, {} as { TRUST_CLIENT_IP_HEADER: string })).toBe('203.0.113.7');
  });

  it('ignores it when told not to (wrangler dev), and never reads X-Forwarded-For', () => {
    expect(clientIp(headers, { TRUST_CLIENT_IP_HEADER: 'false' })).toBe('');
    expect(clientIp(new Headers({ 'X-Forwarded-For': '198.51.100.1' }), { TRUST_CLIENT_IP_HEADER: 'true' })).toBe('');
  });
});
