/**
 * Which IP addresses network tools may reach: public unicast only. Loopback,
 * private, link-local, CGNAT, multicast, reserved, unspecified and cloud
 * metadata addresses are named as such (classification by `ipaddr.js`; IPv4-
 * mapped IPv6 addresses are judged as the IPv4 address they carry).
 *
 * `ipaddr.js` is CommonJS (it brings Node's module loader, ~70 ms and ~10 MB
 * at import), so nothing imports this module statically on the boot path:
 * the SSRF guard loads it on its first guarded fetch.
 *
 * @module
 */
import ipaddr from "ipaddr.js";

/** Addresses of cloud metadata services, named as such in refusals. */
const METADATA = new Set(["169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254"]);

/** Why `address` may not be reached, or undefined for a public unicast address. */
export function blockedRange(address: string): string | undefined {
  const bare = address.replace(/^\[|\]$/g, "");
  if (!ipaddr.isValid(bare)) return "not an IP address";
  let ip = ipaddr.parse(bare);
  if (ip.kind() === "ipv6" && (ip as ipaddr.IPv6).isIPv4MappedAddress()) {
    ip = (ip as ipaddr.IPv6).toIPv4Address();
  }
  if (METADATA.has(ip.toNormalizedString()) || METADATA.has(ip.toString())) {
    return "cloud metadata";
  }
  const range = ip.range();
  return range === "unicast" ? undefined : range;
}

/** A host name lower-cased without its final dot, or an IP address in one normal form. */
export function canonicalHost(host: string): string {
  const bare = bareHost(host).toLowerCase().replace(/\.$/, "");
  return ipaddr.isValid(bare) ? ipaddr.parse(bare).toNormalizedString() : bare;
}

/** Whether `host` (without brackets) is an IPv4 or IPv6 address. */
export function isIpAddress(host: string): boolean {
  return ipaddr.isValid(host);
}

/** The address family of an IP address. */
export function ipFamily(address: string): 4 | 6 {
  return ipaddr.parse(address).kind() === "ipv6" ? 6 : 4;
}

/** A host without the brackets of an IPv6 literal. */
export function bareHost(host: string): string {
  return host.replace(/^\[|\]$/g, "");
}
