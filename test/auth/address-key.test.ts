import assert from 'node:assert/strict';
import { addressKey } from '../../src/auth/address-key.js';

describe('the address a rate limit counts', () => {
  it('is an IPv4 address itself, also when the socket reports it IPv4-mapped', () => {
    assert.equal(addressKey('203.0.113.7'), '203.0.113.7');
    assert.equal(addressKey('::ffff:203.0.113.7'), '203.0.113.7');
  });

  it('is the /64 network of an IPv6 address, however the address is written', () => {
    const key = '2001:db8:85a3:42::/64';
    for (const address of ['2001:db8:85a3:42::1', '2001:0db8:85a3:0042:ffff:ffff:ffff:fffe', '2001:DB8:85A3:42:0:0:0:9', '2001:db8:85a3:42::1%eth0']) {
      assert.equal(addressKey(address), key, address);
    }
    assert.notEqual(addressKey('2001:db8:85a3:43::1'), key);
    assert.equal(addressKey('::1'), '0:0:0:0::/64');
    assert.equal(addressKey('fe80::1'), 'fe80:0:0:0::/64');
  });

  it('leaves anything else as it is', () => {
    assert.equal(addressKey('unknown'), 'unknown');
  });
});
