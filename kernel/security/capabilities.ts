/**
 * Capability arithmetic: whether one grant covers another, and which of a
 * requested set a holder lacks. A child agent's set must be covered by its
 * parent's; a top-level agent's by the config's `max_capabilities`.
 *
 * @module
 */

interface HostGrant {
  host: string;
  port?: string;
}

function parseHost(param: string): HostGrant {
  const match = /^(.*?)(?::(\d+))?$/.exec(param);
  return { host: match?.[1] ?? param, port: match?.[2] };
}

function hostCovers(parent: HostGrant, child: HostGrant): boolean {
  if (parent.port !== undefined && parent.port !== child.port) return false;
  if (parent.host === "*") return true;
  if (child.host === "*") return false;
  if (parent.host === child.host) return true;
  if (parent.host.startsWith("*.")) {
    const suffix = parent.host.slice(1);
    const childHost = child.host.startsWith("*.") ? child.host.slice(1) : child.host;
    return childHost.endsWith(suffix) && childHost.length > suffix.length;
  }
  return false;
}

/** True when holding `grant` implies holding `wanted`. */
export function capabilityCovers(grant: string, wanted: string): boolean {
  if (grant === wanted) return true;
  const [gKind, gParam] = splitCapability(grant);
  const [wKind, wParam] = splitCapability(wanted);
  if (gKind !== wKind || gParam === undefined || wParam === undefined) {
    return false;
  }
  if (gKind === "net_connect") {
    return hostCovers(parseHost(gParam), parseHost(wParam));
  }
  if (gKind === "env_read" || gKind === "mcp") return gParam === "*";
  return false;
}

/** The members of `wanted` that no member of `held` covers. */
export function missingCapabilities(
  held: readonly string[],
  wanted: readonly string[],
): string[] {
  return wanted.filter((w) => !held.some((h) => capabilityCovers(h, w)));
}

function splitCapability(cap: string): [string, string | undefined] {
  const colon = cap.indexOf(":");
  return colon < 0 ? [cap, undefined] : [cap.slice(0, colon), cap.slice(colon + 1)];
}
