/**
 * The SSRF guard: the only way tools reach the network. For the first URL
 * and every redirect it checks the scheme, lets the caller check the URL
 * (the `net_connect` capability), resolves the host once, refuses it when
 * any address is loopback, private, link-local, CGNAT, multicast, reserved,
 * unspecified or a cloud metadata address (IPv4, IPv6 and IPv4-mapped forms),
 * and then connects to exactly the address it checked (`node:http` with a
 * `lookup` that returns it), so DNS rebinding between check and connect has
 * nothing to rebind. Responses are bounded in size, time and content type.
 *
 * `allowHosts` lets named hosts or addresses through although private: for
 * local use, e.g. a SearXNG on 127.0.0.1.
 *
 * @module
 */
import type { IncomingMessage } from "node:http";
import { TalonError } from "../errors.ts";
import type { OutboundOrigin, OutboundRequest } from "./exfiltration.ts";

type IpRanges = typeof import("./ip_ranges.ts");
let ipRanges: Promise<IpRanges> | undefined;
/** ip_ranges.ts (and its CommonJS `ipaddr.js`), imported on the first guarded fetch. */
function loadIpRanges(): Promise<IpRanges> {
  return ipRanges ??= import("./ip_ranges.ts");
}

/** A host without the brackets of an IPv6 literal. */
function bareHost(host: string): string {
  return host.replace(/^\[|\]$/g, "");
}

/** Resolves a host name to its IP addresses (tests inject their own). */
export type Resolver = (hostname: string) => Promise<string[]>;

/** The system resolver (`getaddrinfo`, so `/etc/hosts` counts). */
export async function systemResolver(hostname: string): Promise<string[]> {
  const { lookup } = await import("node:dns/promises");
  return (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);
}

/** Options for {@link SsrfGuard}. */
export interface SsrfGuardOptions {
  /** Resolves host names; the system resolver by default. */
  resolver?: Resolver;
  /** Hosts or addresses, optionally `:port`, let through although private. */
  allowHosts?: readonly string[];
  /** Largest response body, in bytes (2 MiB by default). */
  maxBytes?: number;
  /** Limit of one whole fetch, redirects included (30 s by default). */
  timeoutMs?: number;
  /** Redirects followed at most (5 by default). */
  maxRedirects?: number;
  /**
   * Checks every hop's URL, headers and body before it is sent (the
   * exfiltration guard); throws to refuse.
   */
  outbound?: (request: OutboundRequest, origin: OutboundOrigin | undefined) => void;
}

/** One request through the guard. */
export interface GuardedRequest {
  method?: "GET" | "POST" | "HEAD";
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** Checks the first URL and every redirect target (e.g. `net_connect`); throws to refuse. */
  checkUrl?: (url: URL) => void;
  /** Who sends it, for the audit entry of a refused request. */
  origin?: OutboundOrigin;
}

/** A response the guard let through. */
export interface GuardedResponse {
  /** The final URL, after redirects. */
  url: string;
  status: number;
  contentType: string;
  headers: Record<string, string>;
  text: string;
  bytes: number;
  /** URLs redirected from, in order. */
  redirects: string[];
}

/** Content types whose bodies are returned (textual ones). */
export function isTextual(contentType: string): boolean {
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  return type.startsWith("text/") ||
    /^application\/([a-z0-9.+-]+\+)?(json|xml|javascript|ecmascript|x-www-form-urlencoded)$/
      .test(type);
}

interface HostEntry {
  host: string;
  port?: string;
}

/** Fetches URLs without letting them reach private networks. */
export class SsrfGuard {
  readonly #resolve: Resolver;
  /** allow_hosts as configured; canonical forms once ip_ranges.ts is loaded. */
  readonly #allowRaw: HostEntry[];
  #allow: HostEntry[] | undefined;
  readonly #maxBytes: number;
  readonly #timeoutMs: number;
  readonly #maxRedirects: number;
  readonly #outbound: SsrfGuardOptions["outbound"];

  constructor(options: SsrfGuardOptions = {}) {
    this.#resolve = options.resolver ?? systemResolver;
    this.#allowRaw = (options.allowHosts ?? []).map(parseEntry);
    this.#maxBytes = options.maxBytes ?? 2_097_152;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#maxRedirects = options.maxRedirects ?? 5;
    this.#outbound = options.outbound;
  }

  /**
   * Resolves `url`'s host once and returns the address to connect to;
   * throws `url_denied` when it (or any address it resolves to) is refused.
   */
  async pin(url: URL): Promise<{ address: string; family: 4 | 6 }> {
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw denied(`${url.protocol} URLs are not fetched; use http or https`);
    }
    if (url.username || url.password) throw denied("URLs with credentials are not fetched");
    const ranges = await loadIpRanges();
    this.#allow ??= this.#allowRaw.map((e) => ({ ...e, host: ranges.canonicalHost(e.host) }));
    const host = bareHost(url.hostname);
    const port = effectivePort(url);
    const hostAllowed = this.#allowed(ranges, host, port);
    let addresses: string[];
    if (ranges.isIpAddress(host)) {
      addresses = [host];
    } else {
      try {
        addresses = await this.#resolve(host);
      } catch (cause) {
        throw new TalonError(
          "fetch_failed",
          `cannot resolve ${host}: ${(cause as Error).message}`,
          {
            cause,
          },
        );
      }
      if (addresses.length === 0) throw new TalonError("fetch_failed", `${host} has no address`);
    }
    for (const address of addresses) {
      const why = ranges.blockedRange(address);
      if (why !== undefined && !hostAllowed && !this.#allowed(ranges, address, port)) {
        throw denied(
          `${host}${
            address === host ? "" : ` resolves to ${address}, which`
          } is a ${why} address; only public hosts are fetched (an admin can list a local host in [tools.web] allow_hosts)`,
        );
      }
    }
    const address = bareHost(addresses[0]!);
    return { address, family: ranges.ipFamily(address) };
  }

  /** Fetches `url`, following redirects through the same checks. */
  async fetch(url: string, request: GuardedRequest = {}): Promise<GuardedResponse> {
    const deadline = new AbortController();
    const timer = setTimeout(
      () =>
        deadline.abort(
          new TalonError("fetch_failed", `no complete answer within ${this.#timeoutMs} ms`),
        ),
      this.#timeoutMs,
    );
    const signal = request.signal
      ? AbortSignal.any([request.signal, deadline.signal])
      : deadline.signal;
    try {
      let current = parseUrl(url);
      let method = request.method ?? "GET";
      let body = request.body;
      let headers = { ...request.headers };
      const redirects: string[] = [];
      for (;;) {
        request.checkUrl?.(current);
        this.#outbound?.({ url: current, headers, body }, request.origin);
        const pinned = await this.pin(current);
        signal.throwIfAborted();
        const res = await this.#once(current, pinned, { method, headers, body }, signal);
        const location = res.headers.location;
        if (res.status >= 300 && res.status < 400 && res.status !== 304 && location) {
          res.stream.destroy();
          if (redirects.length >= this.#maxRedirects) {
            throw new TalonError("fetch_failed", `more than ${this.#maxRedirects} redirects`);
          }
          redirects.push(current.href);
          const next = parseUrl(location, current);
          if (next.origin !== current.origin) {
            headers = Object.fromEntries(
              Object.entries(headers).filter(([k]) => !/^(authorization|cookie)$/i.test(k)),
            );
          }
          if (
            res.status === 303 || ((res.status === 301 || res.status === 302) && method === "POST")
          ) {
            method = "GET";
            body = undefined;
          }
          current = next;
          continue;
        }
        const text = await this.#read(res, method, signal);
        return { ...text, url: current.href, status: res.status, headers: res.headers, redirects };
      }
    } catch (cause) {
      if (signal.aborted && !(cause instanceof TalonError && cause.code === "url_denied")) {
        const reason = signal.reason;
        throw reason instanceof TalonError
          ? reason
          : new TalonError("fetch_failed", "the fetch was cancelled", { cause });
      }
      throw cause;
    } finally {
      clearTimeout(timer);
    }
  }

  #allowed(ranges: IpRanges, host: string, port: string): boolean {
    const canon = ranges.canonicalHost(host);
    return this.#allow!.some((e) => e.host === canon && (e.port === undefined || e.port === port));
  }

  async #once(
    url: URL,
    pinned: { address: string; family: 4 | 6 },
    req: { method: string; headers: Record<string, string>; body?: string },
    signal: AbortSignal,
  ): Promise<RawResponse> {
    // Node's http modules load on the first guarded fetch, not at boot.
    const transport = url.protocol === "https:"
      ? (await import("node:https")).default
      : (await import("node:http")).default;
    signal.throwIfAborted();
    return new Promise<RawResponse>((resolve, reject) => {
      const r = transport.request({
        protocol: url.protocol,
        hostname: bareHost(url.hostname),
        port: effectivePort(url),
        path: `${url.pathname}${url.search}`,
        method: req.method,
        agent: false,
        headers: {
          "user-agent": "Talon web_fetch",
          "accept-encoding": "identity",
          ...req.headers,
          host: url.host,
          ...(req.body === undefined ? {} : { "content-length": String(byteLength(req.body)) }),
        },
        lookup: ((_host: string, options: { all?: boolean }, cb: LookupCallback) => {
          if (options?.all) cb(null, [{ address: pinned.address, family: pinned.family }]);
          else cb(null, pinned.address, pinned.family);
        }) as unknown as typeof import("node:dns").lookup,
      }, (res) => {
        signal.removeEventListener("abort", onAbort);
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) {
          if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;
        }
        resolve({ status: res.statusCode ?? 0, headers, stream: res });
      });
      const onAbort = () => r.destroy(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
      r.on("error", (cause) => {
        signal.removeEventListener("abort", onAbort);
        reject(
          signal.aborted ? signal.reason : new TalonError(
            "fetch_failed",
            `cannot fetch ${url.href}: ${(cause as Error).message}`,
            { cause },
          ),
        );
      });
      r.end(req.body);
    });
  }

  async #read(
    res: RawResponse,
    method: string,
    signal: AbortSignal,
  ): Promise<{ text: string; bytes: number; contentType: string }> {
    const contentType = res.headers["content-type"] ?? "";
    if (method === "HEAD") {
      res.stream.destroy();
      return { text: "", bytes: 0, contentType };
    }
    if (!isTextual(contentType)) {
      res.stream.destroy();
      throw new TalonError(
        "fetch_failed",
        `the response is ${
          contentType || "of no stated type"
        }; only text, HTML, JSON and XML are fetched`,
      );
    }
    const declared = Number(res.headers["content-length"]);
    if (Number.isFinite(declared) && declared > this.#maxBytes) {
      res.stream.destroy();
      throw tooLarge(this.#maxBytes, `declares ${declared} bytes`);
    }
    const chunks: Uint8Array[] = [];
    let bytes = 0;
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => res.stream.destroy(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
      const done = (error?: unknown) => {
        signal.removeEventListener("abort", onAbort);
        if (error) reject(error);
        else resolve();
      };
      res.stream.on("data", (chunk: Uint8Array) => {
        bytes += chunk.length;
        if (bytes > this.#maxBytes) {
          res.stream.destroy();
          done(tooLarge(this.#maxBytes, `sent more than ${this.#maxBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.stream.on("end", () => done());
      res.stream.on(
        "error",
        (cause) =>
          done(
            signal.aborted
              ? signal.reason
              : new TalonError("fetch_failed", `the response broke off: ${cause.message}`),
          ),
      );
    });
    return { text: decode(chunks, contentType), bytes, contentType };
  }
}

type LookupCallback = (
  error: Error | null,
  address: string | { address: string; family: number }[],
  family?: number,
) => void;

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  stream: IncomingMessage;
}

function decode(chunks: Uint8Array[], contentType: string): string {
  const charset = /charset="?([\w-]+)/i.exec(contentType)?.[1] ?? "utf-8";
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset);
  } catch {
    decoder = new TextDecoder();
  }
  const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return decoder.decode(all);
}

function parseUrl(text: string, base?: URL): URL {
  try {
    return new URL(text, base);
  } catch {
    throw denied(`"${text.slice(0, 200)}" is not a valid URL`);
  }
}

function parseEntry(entry: string): HostEntry {
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(entry.trim());
  if (!match) throw new TypeError(`allow_hosts entry "${entry}" is not host[:port]`);
  return { host: bareHost(match[1]!), port: match[2] };
}

/** The port a URL connects to, as a string. */
export function effectivePort(url: URL): string {
  return url.port || (url.protocol === "https:" ? "443" : "80");
}

function byteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}

function denied(message: string): TalonError {
  return new TalonError("url_denied", message);
}

function tooLarge(max: number, what: string): TalonError {
  return new TalonError(
    "fetch_failed",
    `the response ${what}; the limit is ${max} bytes ([tools.web] max_bytes)`,
  );
}
