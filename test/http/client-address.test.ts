import assert from 'node:assert/strict';
import { addressKey, canonical, clientAddress } from '../../src/http/client-address.js';

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
    assert.equal(addressKey('2001:db8:85a3:42:5:6:1.2.3.4'), key);
    assert.equal(addressKey('2001::5:6:7:8:1.2.3.4'), '2001:0:5:6::/64');
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

  it('matches a trusted IPv6 proxy however either side writes it, and drops the ports some proxies add', () => {
    const trusted = new Set([canonical('2001:DB8:0::10')]);
    assert.equal(clientAddress('2001:db8::10', '203.0.113.7', trusted), '203.0.113.7');
    assert.equal(clientAddress('2001:db8::10', '203.0.113.7:5678', trusted), '203.0.113.7');
    assert.equal(clientAddress('2001:db8::10', '[2001:db8:1::7]:443', trusted), canonical('2001:db8:1::7'));
    // An entry that is no address ends the walk at the proxy rather than becoming a key of the client's choosing.
    assert.equal(clientAddress('2001:db8::10', 'nonsense', trusted), canonical('2001:db8::10'));
  });
});
