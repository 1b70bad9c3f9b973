import assert from 'node:assert/strict';
import { addressKey, clientAddress } from '../../src/http/client-address.js';

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

describe('the address a request comes from', () => {
  const proxies = new Set(['10.0.0.2', '10.0.0.3']);

  it('is the connection’s peer, whatever X-Forwarded-For claims, when the peer is not a trusted proxy', () => {
    assert.equal(clientAddress('198.51.100.9', '203.0.113.7', proxies), '198.51.100.9');
    assert.equal(clientAddress('198.51.100.9', undefined, new Set()), '198.51.100.9');
  });

  it('is the address a trusted proxy names, walking back through trusted proxies only', () => {
    assert.equal(clientAddress('10.0.0.2', '203.0.113.7', proxies), '203.0.113.7');
    assert.equal(clientAddress('::ffff:10.0.0.2', '203.0.113.7, 10.0.0.3', proxies), '203.0.113.7');
    // A client sending its own header cannot choose the address: the last untrusted hop counts.
    assert.equal(clientAddress('10.0.0.2', 'forged, 198.51.100.9', proxies), '198.51.100.9');
    assert.equal(clientAddress('10.0.0.2', ['forged', '198.51.100.9'], proxies), '198.51.100.9');
    assert.equal(clientAddress('10.0.0.2', undefined, proxies), '10.0.0.2');
  });
});
