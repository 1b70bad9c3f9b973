import { isIP, isIPv6 } from 'node:net';

/**
 * The address a request comes from: the connection's peer, or, when that peer is a proxy the
 * server trusts, the address the proxy names in X-Forwarded-For (walked from the right, through
 * every trusted proxy, so that a client cannot forge its place by sending the header itself).
 * Addresses are compared in one written form (see `canonical`); the walk stops at an entry that
 * is no address. `trustedProxies` holds canonical addresses.
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | string[] | undefined, trustedProxies: ReadonlySet<string>): string {
  let address = canonical(peer ?? 'unknown');
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? ''))
    .split(',')
    .map((hop) => canonical(withoutPort(hop.trim())))
    .filter(Boolean);
  while (trustedProxies.has(address) && hops.length > 0 && isIP(hops.at(-1)!) !== 0) address = hops.pop()!;
  return address;
}

/**
 * One written form per address: IPv4-mapped IPv6 as plain IPv4, IPv6 as its eight groups in
 * lower case without leading zeros and without `::` or a zone. Anything else is left as it is.
 */
export function canonical(address: string): string {
  const mappedIPv4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mappedIPv4) return mappedIPv4[1]!;
  const withoutZone = address.replace(/%.*$/, '');
  return isIPv6(withoutZone) ? groupsOf(withoutZone).join(':') : address;
}

/**
 * What the rate limits count a client address under: an IPv4 address itself, and an IPv6
 * address's /64 network, since one subscriber usually holds a whole /64 and could otherwise
 * use a fresh address for every attempt.
 */
export function addressKey(address: string): string {
  const written = canonical(address);
  return isIPv6(written) ? `${written.split(':').slice(0, 4).join(':')}::/64` : written;
}

/** Some proxies write `1.2.3.4:5678` or `[2001:db8::1]:5678`; the port is not part of the client. */
function withoutPort(entry: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(entry);
  if (bracketed) return bracketed[1]!;
  const ipv4WithPort = /^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(entry);
  return ipv4WithPort ? ipv4WithPort[1]! : entry;
}

/** The eight groups of an IPv6 address, `::` expanded (an IPv4 tail counting as two), lower case, without leading zeros. */
function groupsOf(address: string): string[] {
  const ipv4Tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address);
  const hex = ipv4Tail
    ? address.slice(0, ipv4Tail.index) +
      [Number(ipv4Tail[1]) * 256 + Number(ipv4Tail[2]), Number(ipv4Tail[3]) * 256 + Number(ipv4Tail[4])].map((group) => group.toString(16)).join(':')
    : address;
  const [head = '', tail] = hex.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0');
  return [...left, ...zeros, ...right].map((group) => group.toLowerCase().replace(/^0+(?=.)/, ''));
}
