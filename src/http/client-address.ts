import { isIPv6 } from 'node:net';

/**
 * The address a request comes from: the connection's peer, or, when that peer is a proxy the
 * server trusts, the address the proxy names in X-Forwarded-For (walked from the right, through
 * every trusted proxy, so that a client cannot forge its place by sending the header itself).
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | string[] | undefined, trustedProxies: ReadonlySet<string>): string {
  let address = plain(peer ?? 'unknown');
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? ''))
    .split(',')
    .map((hop) => hop.trim())
    .filter(Boolean);
  while (trustedProxies.has(address) && hops.length > 0) address = plain(hops.pop()!);
  return address;
}

/** An IPv4 address written IPv4-mapped (`::ffff:10.0.0.1`) as plain IPv4, so that either form matches. */
export function plain(address: string): string {
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(address) ? address.slice(7) : address;
}

/**
 * What the rate limits count a client address under: an IPv4 address itself, and an IPv6
 * address's /64 network, since one subscriber usually holds a whole /64 and could otherwise
 * use a fresh address for every attempt.
 */
export function addressKey(address: string): string {
  const written = plain(address).replace(/%.*$/, '');
  if (!isIPv6(written)) return plain(address);
  return `${groupsOf(written).slice(0, 4).join(':')}::/64`;
}

/** The eight groups of an IPv6 address, `::` expanded, lower case, without leading zeros. */
function groupsOf(address: string): string[] {
  const [head = '', tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0');
  return [...left, ...zeros, ...right].map((group) => group.toLowerCase().replace(/^0+(?=.)/, ''));
}
