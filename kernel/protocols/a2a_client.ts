/**
 * Talon's A2A client: the peers of `[a2a.peers.<name>]` (an allow-list:
 * Talon reaches no other A2A agent), discovery of their cards and messages
 * to them, through the official SDK's client with every request going
 * through the SSRF guard. A URL is a peer's when it has the peer URL's
 * origin and lies under its path (a card URL's folder). A peer's bearer
 * token (`token_env`) is sent only to that peer. A reply that fails the
 * signature check against the peer's card key is refused and audited
 * (`a2a.response_rejected`). The SDK loads on first use
 * (kernel/protocols/a2a_peer_call.ts).
 *
 * @module
 */
import type { EnvReader } from "../config.ts";
import { TalonError } from "../errors.ts";
import type { AuditChain, SsrfGuard } from "../security/mod.ts";
import {
  type A2aCardView,
  type A2aConfig,
  A2aDiscoverBody,
  type A2aPeerConfig,
  type A2aPeerView,
  parseOrRefuse,
} from "../types.ts";

/** What {@link A2aPeers} needs. */
export interface A2aPeersDeps {
  config: A2aConfig;
  env: EnvReader;
  /** An SSRF guard whose whole-fetch limit is `timeoutMs`. */
  guard: (timeoutMs: number) => SsrfGuard;
  /** Where refused (badly signed) replies are recorded. */
  audit: Pick<AuditChain, "append">;
  now?: () => Date;
}

/** A configured peer. */
export interface A2aPeer {
  name: string;
  config: A2aPeerConfig;
  /** Origin of its URL. */
  origin: string;
  /** Path every URL of the peer lies under ("" for the whole origin). */
  prefix: string;
}

/**
 * How one call may go: the caller's signal, a check of every URL (e.g.
 * `net_connect`), and who calls (for the audit log).
 */
export interface A2aCallOptions {
  signal?: AbortSignal;
  checkUrl?: (url: URL) => void;
  /** As the audit log names callers (`agent:<id>`); `system` by default. */
  actor?: string;
  agentId?: string;
}

/** A message's outcome. */
export interface A2aReply {
  peer: string;
  /** The A2A task state (`TASK_STATE_COMPLETED`, …), or `message` for a direct reply. */
  state: string;
  task_id: string | null;
  text: string;
  /** The key id of the peer's card key that signed the reply; null when its card publishes none. */
  signed_by: string | null;
}

interface Discovery {
  card: A2aCardView | null;
  error: string | null;
  at: string;
}

function peerOf(name: string, config: A2aPeerConfig): A2aPeer {
  const url = new URL(config.url);
  let path = url.pathname;
  if (/\.json$/i.test(path)) path = path.slice(0, path.lastIndexOf("/"));
  return { name, config, origin: url.origin, prefix: path.replace(/\/+$/, "") };
}

/** The card URL for `url`: itself when it names a `.json` file, else its well-known card. */
export function cardUrlOf(url: string): string {
  const parsed = new URL(url);
  if (/\.json$/i.test(parsed.pathname)) return parsed.href;
  parsed.pathname = parsed.pathname.replace(/\/+$/, "") + "/.well-known/agent-card.json";
  parsed.search = "";
  parsed.hash = "";
  return parsed.href;
}

/** The configured A2A peers, and what Talon learnt of them. */
export class A2aPeers {
  readonly #deps: A2aPeersDeps;
  readonly #peers: A2aPeer[];
  readonly #seen = new Map<string, Discovery>();

  constructor(deps: A2aPeersDeps) {
    this.#deps = deps;
    this.#peers = Object.entries(deps.config.peers).map(([name, config]) => peerOf(name, config));
  }

  /** The peer `url` belongs to, if any. */
  peerFor(url: URL | string): A2aPeer | undefined {
    const u = typeof url === "string" ? new URL(url) : url;
    return this.#peers.find((p) =>
      u.origin === p.origin &&
      (p.prefix === "" || u.pathname === p.prefix || u.pathname.startsWith(p.prefix + "/"))
    );
  }

  /** The peer of `url`; `url_denied` naming the allow-list otherwise. */
  requirePeer(url: URL | string): A2aPeer {
    const peer = this.peerFor(url);
    if (peer) return peer;
    const known = this.#peers.map((p) => `${p.name} (${p.config.url})`).join(", ");
    throw new TalonError(
      "url_denied",
      `${String(url)} is not one of this Talon's A2A peers (${
        known || "none configured"
      }); an admin can add it as [a2a.peers.<name>] url = "…" in the config`,
    );
  }

  /** Every configured peer with its last discovery in this process. */
  list(): A2aPeerView[] {
    return this.#peers.map((p) => {
      const seen = this.#seen.get(p.name);
      return {
        name: p.name,
        url: p.config.url,
        has_token: p.config.token_env !== undefined && !!this.#deps.env(p.config.token_env),
        card: seen?.card ?? null,
        error: seen?.error ?? null,
        discovered_at: seen?.at ?? null,
      };
    });
  }

  /** Reads the card at `url` (a peer's base or card URL); remembered for {@link list}. */
  async discover(url: string, options: A2aCallOptions = {}): Promise<A2aCardView> {
    parseOrRefuse(A2aDiscoverBody, { url }, { prefix: "invalid peer URL" });
    const peer = this.requirePeer(url);
    const at = (this.#deps.now?.() ?? new Date()).toISOString();
    try {
      const { readCard } = await import("./a2a_peer_call.ts");
      const { view } = await readCard(cardUrlOf(url), this.#port(peer, options));
      this.#seen.set(peer.name, { card: view, error: null, at });
      return view;
    } catch (error) {
      const wrapped = failure(peer, error);
      this.#seen.set(peer.name, {
        card: this.#seen.get(peer.name)?.card ?? null,
        error: wrapped.message,
        at,
      });
      throw wrapped;
    }
  }

  /** Sends `text` to the agent whose card is at `url` and waits for its answer. */
  async send(url: string, text: string, options: A2aCallOptions = {}): Promise<A2aReply> {
    parseOrRefuse(A2aDiscoverBody, { url }, { prefix: "invalid peer URL" });
    const peer = this.requirePeer(url);
    try {
      const { sendText } = await import("./a2a_peer_call.ts");
      return {
        peer: peer.name,
        ...await sendText(cardUrlOf(url), text, this.#port(peer, options)),
      };
    } catch (error) {
      if (error instanceof TalonError && error.code === "signature_invalid") {
        this.#deps.audit.append({
          action: "a2a.response_rejected",
          actor: options.actor ?? "system",
          agent_id: options.agentId,
          detail: { peer: peer.name, url, ...error.details },
        });
      }
      throw failure(peer, error);
    }
  }

  /** A `fetch` for the SDK: allow-listed URLs only, through the SSRF guard, with the peer's token. */
  #port(peer: A2aPeer, options: A2aCallOptions) {
    const guard = this.#deps.guard(peer.config.timeout_s * 1000);
    const checkUrl = (url: URL) => {
      this.requirePeer(url);
      options.checkUrl?.(url);
    };
    const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      const url = input instanceof Request ? input.url : String(input);
      const method = (init?.method ?? "GET").toUpperCase();
      if (method !== "GET" && method !== "POST") {
        throw new TypeError(`A2A calls use GET and POST, not ${method}`);
      }
      const headers: Record<string, string> = {};
      new Headers(init?.headers).forEach((value, key) => headers[key] = value);
      const target = this.peerFor(url);
      const tokenEnv = target?.config.token_env;
      const token = tokenEnv === undefined ? undefined : this.#deps.env(tokenEnv);
      if (token) headers.authorization = `Bearer ${token}`;
      const signals = [init?.signal, options.signal].filter((s): s is AbortSignal => !!s);
      const res = await guard.fetch(url, {
        method,
        headers,
        body: typeof init?.body === "string" ? init.body : undefined,
        signal: signals.length ? AbortSignal.any(signals) : undefined,
        checkUrl,
      });
      const out = new Headers();
      for (const [k, v] of Object.entries(res.headers)) {
        if (!/^(content-length|transfer-encoding|content-encoding|connection)$/i.test(k)) {
          out.set(k, v);
        }
      }
      const empty = res.status === 204 || res.status === 304;
      return new Response(empty ? null : res.text, { status: res.status, headers: out });
    };
    return { fetch: fetchImpl as typeof fetch, signal: options.signal };
  }
}

/** An error of a call to `peer`, as a TalonError saying which peer and why. */
function failure(peer: A2aPeer, error: unknown): TalonError {
  if (error instanceof TalonError) {
    if (error.code === "url_denied") return error;
    return new TalonError(error.code, `A2A peer "${peer.name}": ${error.message}`, {
      cause: error,
      details: error.details,
    });
  }
  return new TalonError(
    "a2a_call_failed",
    `A2A peer "${peer.name}" (${peer.config.url}) failed: ${(error as Error).message ?? error}`,
    { cause: error },
  );
}
