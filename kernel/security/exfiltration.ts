/**
 * The exfiltration guard: an outbound request whose URL, headers or body
 * carries a configured secret to a host that secret does not belong to is
 * refused (`exfiltration_blocked`) and audited (`exfiltration.blocked`).
 * A provider key may go to its provider's `base_url` host, the search key to
 * the search API, an MCP server's `headers_env` values to that server; a
 * secret with no host (an `env_read:` value) may go nowhere. Secrets are
 * also found percent-encoded (once or twice, `+` as space), in base64 or
 * base64url at any alignment, and in hex.
 *
 * Every outbound tool request passes it: the SSRF guard calls it before
 * each hop (web_fetch, web_search, skills' net_fetch, Hand webhooks, audit
 * anchors), MCP over HTTP through its transport's fetch, and A2A by calling
 * {@link ExfiltrationGuard.check} before it sends.
 *
 * @module
 */
import { TalonError } from "../errors.ts";
import type { AuditChain } from "./audit.ts";
import type { SecretSet } from "./secret_set.ts";

/** The parts of a request that can carry a secret. */
export interface OutboundRequest {
  url: URL | string;
  headers?: Record<string, string> | Headers;
  body?: string;
}

/** Who sends a request, for the audit entry of a refusal. */
export interface OutboundOrigin {
  /** e.g. `agent:<id>`, `system`. */
  actor: string;
  agent_id?: string;
  /** The tool (or subsystem, e.g. `mcp:<server>`) that sent it. */
  tool?: string;
  turn_id?: string;
}

/** Where a secret was found in a request bound for a host it does not belong to. */
export interface ExfiltrationFinding {
  /** The host the request was going to. */
  host: string;
  where: "url" | "header" | "body";
  /** How the secret was written: as it is, percent-encoded, base64 or hex. */
  encoding: "plain" | "percent" | "base64" | "hex";
  /** The hosts the secret belongs to (empty: none). */
  owners: string[];
}

/** The first secret `request` carries to a host it does not belong to, if any. */
export function findExfiltration(
  secrets: SecretSet,
  request: OutboundRequest,
): ExfiltrationFinding | undefined {
  if (secrets.size === 0) return undefined;
  const url = typeof request.url === "string" ? new URL(request.url) : request.url;
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, "");
  const parts: { where: ExfiltrationFinding["where"]; text: string }[] = [
    { where: "url", text: url.href },
  ];
  const headers = request.headers instanceof Headers
    ? [...request.headers.entries()]
    : Object.entries(request.headers ?? {});
  for (const [name, value] of headers) parts.push({ where: "header", text: `${name}: ${value}` });
  if (request.body) parts.push({ where: "body", text: request.body });
  for (const secret of secrets.values()) {
    const owners = secrets.ownersOf(secret);
    if (owners.has(host)) continue;
    const needles = needlesOf(secret);
    for (const part of parts) {
      const encoding = carried(part.text, needles);
      if (encoding) return { host, where: part.where, encoding, owners: [...owners] };
    }
  }
  return undefined;
}

/** Checks outbound requests against the kernel's secrets; refusals are audited. */
export class ExfiltrationGuard {
  readonly #secrets: SecretSet;
  readonly #audit: Pick<AuditChain, "append">;

  constructor(secrets: SecretSet, audit: Pick<AuditChain, "append">) {
    this.#secrets = secrets;
    this.#audit = audit;
  }

  /**
   * Throws `exfiltration_blocked` (after writing `exfiltration.blocked` to
   * the audit log) when `request` carries a secret to a host it does not
   * belong to; returns quietly otherwise.
   */
  check(request: OutboundRequest, origin: OutboundOrigin = { actor: "system" }): void {
    const found = findExfiltration(this.#secrets, request);
    if (!found) return;
    this.#audit.append({
      action: "exfiltration.blocked",
      actor: origin.actor,
      agent_id: origin.agent_id ?? null,
      detail: {
        host: found.host,
        where: found.where,
        encoding: found.encoding,
        owners: found.owners,
        tool: origin.tool ?? null,
        turn_id: origin.turn_id ?? null,
      },
    });
    const belongs = found.owners.length > 0
      ? `it belongs only to ${found.owners.join(", ")}`
      : "it belongs to no host";
    throw new TalonError(
      "exfiltration_blocked",
      `the request to ${found.host} carries a configured secret in its ${found.where} (${found.encoding}); ${belongs}, so the request was not sent`,
      { details: { host: found.host, where: found.where, encoding: found.encoding } },
    );
  }
}

interface Needles {
  plain: string;
  base64: string[];
  hex: string;
}

const needleCache = new Map<string, Needles>();

function needlesOf(secret: string): Needles {
  let found = needleCache.get(secret);
  if (found) return found;
  const bytes = new TextEncoder().encode(secret);
  const base64: string[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const padded = new Uint8Array(shift + bytes.length);
    padded.set(bytes, shift);
    let text = btoa(String.fromCharCode(...padded));
    // Keep the groups made of secret bytes only: they look the same at any offset.
    if ((shift + bytes.length) % 3 !== 0) text = text.slice(0, -4);
    if (shift > 0) text = text.slice(4);
    if (text.length >= 8) base64.push(text, text.replaceAll("+", "-").replaceAll("/", "_"));
  }
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  found = { plain: secret, base64, hex };
  if (needleCache.size > 1000) needleCache.clear();
  needleCache.set(secret, found);
  return found;
}

function carried(text: string, needles: Needles): ExfiltrationFinding["encoding"] | undefined {
  if (text.includes(needles.plain)) return "plain";
  let decoded = text;
  for (let round = 0; round < 2; round++) {
    const next = percentDecode(decoded);
    if (next === decoded) break;
    decoded = next;
    if (decoded.includes(needles.plain)) return "percent";
  }
  for (const form of new Set([text, decoded])) {
    if (needles.base64.some((b) => form.includes(b))) return "base64";
    if (form.toLowerCase().includes(needles.hex)) return "hex";
  }
  return undefined;
}

function percentDecode(text: string): string {
  return text.replace(/\+/g, " ").replace(/(?:%[0-9a-f]{2})+/gi, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run.replace(/%([0-9a-f]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16)));
    }
  });
}
