// Where outbound webhooks may go (SSRF guard): https only, and only to hosts whose every address
// is public unicast — never loopback, private, link-local, unique-local, carrier-grade NAT,
// multicast, reserved or cloud metadata — unless the operator's allow-list says otherwise. The
// check returns the address it approved; the caller connects to exactly that address, so DNS
// answering differently a moment later (rebinding) changes nothing.
import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to all of its addresses (A and AAAA). */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (hostname) => {
  const answers = await lookup(hostname, { all: true, verbatim: true });
  return answers.map((answer) => ({ address: answer.address, family: answer.family === 6 ? 6 : 4 }));
};

/** Instance metadata services: credentials live there. No allow-list entry opens them. */
const METADATA_ADDRESSES = new Set([
  '169.254.169.254', // AWS, GCP, Azure, OpenStack, DigitalOcean...
  '169.254.170.2', // AWS ECS task metadata
  '169.254.169.253', // AWS DNS resolver
  '100.100.100.200', // Alibaba Cloud
  '192.0.0.192', // Oracle Cloud
  'fd00:ec2::254', // AWS over IPv6
]);

export type Destination =
  | { ok: true; url: URL; address: ResolvedAddress }
  | {
      ok: false;
      /** refused: never send there (permanent); unresolved: DNS failed, try again later. */
      kind: 'refused' | 'unresolved';
      code: string;
      reason: string;
    };

export interface DestinationGuardOptions {
  /** Host names, IP addresses and CIDR ranges (AFTERCARE_WEBHOOK_ALLOW). */
  allow?: readonly string[];
  resolve?: Resolver;
}

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** One address in canonical form, IPv4-mapped IPv6 unwrapped (::ffff:10.0.0.1 is 10.0.0.1). */
function canonical(address: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  if (!ipaddr.isValid(address)) return null;
  const parsed = ipaddr.parse(address);
  return parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()
    ? (parsed as ipaddr.IPv6).toIPv4Address()
    : parsed;
}

/**
 * Why an address is not a public destination, or null when it is. Only ipaddr.js's `unicast`
 * range counts as public; everything else it names (private, loopback, linkLocal, uniqueLocal,
 * carrierGradeNat, multicast, unspecified, broadcast, reserved, 6to4, teredo, rfc6052 NAT64...)
 * is refused, including the IPv6 forms that embed an IPv4 address we could not check.
 */
export function blockedRange(address: string): string | null {
  const parsed = canonical(address);
  if (parsed === null) return 'not an IP address';
  if (METADATA_ADDRESSES.has(parsed.toNormalizedString()) || METADATA_ADDRESSES.has(parsed.toString()))
    return 'cloud metadata';
  const range = parsed.range();
  return range === 'unicast' ? null : range;
}

export class DestinationGuard {
  private readonly hosts: ReadonlySet<string>;
  private readonly ranges: readonly Range[];
  private readonly resolve: Resolver;

  constructor(options: DestinationGuardOptions = {}) {
    const hosts = new Set<string>();
    const ranges: Range[] = [];
    for (const entry of options.allow ?? []) {
      const item = entry.trim().toLowerCase();
      if (item.includes('/') && ipaddr.isValidCIDR(item)) {
        const [range, bits] = ipaddr.parseCIDR(item);
        ranges.push([range, bits]);
      } else {
        hosts.add(item.replace(/^\[|\]$/g, ''));
        const address = canonical(item);
        if (address !== null) ranges.push([address, address.kind() === 'ipv4' ? 32 : 128]);
      }
    }
    this.hosts = hosts;
    this.ranges = ranges;
    this.resolve = options.resolve ?? systemResolver;
  }

  /** Whether `address` may be connected to: public, or admitted by the allow-list (never metadata). */
  admits(address: string): { ok: true } | { ok: false; range: string } {
    const blocked = blockedRange(address);
    if (blocked === null) return { ok: true };
    const parsed = canonical(address);
    if (blocked === 'cloud metadata' || parsed === null) return { ok: false, range: blocked };
    const allowed = this.ranges.some(
      ([range, bits]) => range.kind() === parsed.kind() && parsed.match(range, bits),
    );
    return allowed ? { ok: true } : { ok: false, range: blocked };
  }

  /** Checks a destination URL and resolves it; the approved address is the one to connect to. */
  async check(target: string | URL): Promise<Destination> {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      return refused('BAD_URL', 'the destination is not a URL');
    }
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && this.hosts.has(host))) {
      return refused('NOT_HTTPS', `only https is sent to (${host} is not allowed plain http)`);
    }
    if (url.username !== '' || url.password !== '') {
      return refused('CREDENTIALS_IN_URL', `the URL for ${host} carries credentials`);
    }
    let addresses: ResolvedAddress[];
    if (ipaddr.isValid(host)) {
      addresses = [{ address: host, family: ipaddr.parse(host).kind() === 'ipv6' ? 6 : 4 }];
    } else {
      try {
        addresses = await this.resolve(host);
      } catch (error) {
        const code =
          typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'EDNS';
        return { ok: false, kind: 'unresolved', code, reason: `${host} could not be resolved` };
      }
    }
    if (addresses.length === 0)
      return { ok: false, kind: 'unresolved', code: 'ENOTFOUND', reason: `${host} has no address` };
    // Every answer must pass: a name with one public and one private address is refused, or the
    // connection could land on whichever the system picks.
    for (const { address } of addresses) {
      const verdict = this.admits(address);
      if (!verdict.ok) {
        return refused(
          'DESTINATION_BLOCKED',
          `${host} resolves to a ${verdict.range} address, which is not sent to`,
        );
      }
    }
    return { ok: true, url, address: addresses[0]! };
  }
}

function refused(code: string, reason: string): Destination {
  return { ok: false, kind: 'refused', code, reason };
}
