import { isIPv6 } from 'node:net';

/**
 * What the rate limits count a client address under: an IPv4 address itself, and an IPv6
 * address's /64 network, since one subscriber usually holds a whole /64 and could otherwise
 * use a fresh address for every attempt.
 */
export function addressKey(address: string): string {
  const mappedIPv4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mappedIPv4) return mappedIPv4[1]!;
  const plain = address.replace(/%.*$/, '');
  if (!isIPv6(plain)) return address;
  return `${groupsOf(plain).slice(0, 4).join(':')}::/64`;
}

/** The eight groups of an IPv6 address, `::` expanded, lower case, without leading zeros. */
function groupsOf(address: string): string[] {
  const [head = '', tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0');
  return [...left, ...zeros, ...right].map((group) => group.toLowerCase().replace(/^0+(?=.)/, ''));
}
