// SSRF guard: a feed URL (or a redirect, or a link in a feed) must not make newswatch
// talk to the machine it runs on, the VPC, or the cloud metadata service. The check runs
// on the resolved address actually connected to, so DNS tricks cannot get around it.
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import ipaddr from 'ipaddr.js';

// Ranges are ipaddr.js's (IANA special-purpose registries, kept up to date there): only
// ordinary global unicast is public. Everything else (private, loopback, link-local,
// CGNAT, multicast, reserved, documentation, benchmarking...) is refused.
const PUBLIC = 'unicast';

/** Every IPv4 address an IPv6 address carries (mapped, compatible, SIIT, NAT64, 6to4, Teredo). */
function embeddedIpv4(v6: ipaddr.IPv6): ipaddr.IPv4[] {
  const p = v6.parts;
  const v4 = (hi: number, lo: number): ipaddr.IPv4 => new ipaddr.IPv4([hi >> 8, hi & 255, lo >> 8, lo & 255]);
  const last32 = v4(p[6]!, p[7]!);
  switch (v6.range()) {
    case 'ipv4Mapped': // ::ffff:a.b.c.d
    case 'rfc6145': // ::ffff:0:a.b.c.d (SIIT)
      return [last32];
    case 'rfc6052': // NAT64 64:ff9b::/96 carries it in the last 32 bits; 64:ff9b:1::/48 is local-use
      return p[2] === 0 ? [last32] : [new ipaddr.IPv4([127, 0, 0, 1])];
    case '6to4': // 2002:AABB:CCDD::/48
      return [v4(p[1]!, p[2]!)];
    case 'teredo': // 2001:0:SERVER:...:~CLIENT (the client address is stored inverted)
      return [v4(p[2]!, p[3]!), v4(~p[6]! & 0xffff, ~p[7]! & 0xffff)];
  }
  // IPv4-compatible (deprecated): ::a.b.c.d, the first 96 bits zero (:: and ::1 aside).
  if (p.slice(0, 6).every((x) => x === 0) && !(p[6] === 0 && p[7]! <= 1)) return [last32];
  return [];
}

/** True when an IP address is loopback, private, link-local, CGNAT, metadata or otherwise not public. */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!ipaddr.isValid(bare) || (!ipaddr.IPv4.isValidFourPartDecimal(bare) && !ipaddr.IPv6.isValid(bare))) return false;
  const ip = ipaddr.parse(bare);
  if (ip.kind() === 'ipv4') return ip.range() !== PUBLIC;
  const v6 = ip as ipaddr.IPv6;
  const inner = embeddedIpv4(v6);
  if (inner.length > 0) return inner.some((v4) => v4.range() !== PUBLIC);
  return v6.range() !== PUBLIC;
}

export class BlockedAddressError extends Error {
  readonly code = 'EBLOCKED';
  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(`refused to connect to ${host} (${address}): a private, loopback or link-local address`);
    this.name = 'BlockedAddressError';
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http.request that resolves the host and refuses any non-public
 * address. It answers in whichever form Node asked for (one address or `all`).
 */
export function guardedLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '');
    const list = addresses as LookupAddress[];
    const bad = list.find((a) => isPrivateAddress(a.address));
    if (bad) return callback(new BlockedAddressError(hostname, bad.address), '');
    if (options.all) return callback(null, list);
    const first = list[0];
    if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '');
    callback(null, first.address, first.family);
  });
}
