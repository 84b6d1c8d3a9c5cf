/**
 * A kernel served over loopback HTTP for API tests, with one token per role,
 * and a request helper that returns the status and parsed JSON body.
 *
 * @module
 */
import { type RunningServer, startServer } from "../../http/server.ts";
import { bootKernel, createLogger, type Kernel } from "../../kernel/mod.ts";

/** A served kernel and a token for each role. */
export interface ApiFixture {
  kernel: Kernel;
  server: RunningServer;
  /** The kernel's data dir (a temp dir, removed afterwards). */
  dir: string;
  tokens: Record<"viewer" | "operator" | "admin", string>;
}

/** A response: status, parsed JSON body and the raw text. */
export interface ApiResponse {
  status: number;
  body: Record<string, unknown>;
  text: string;
}

/** Options for {@link withApi}. */
export interface WithApiOptions {
  /** The kernel's environment. */
  env?: Record<string, string>;
  /** `config.toml` written into the data dir before boot. */
  config?: string;
  /** Receives every log line (JSON) at level `logLevel` (default: none are kept). */
  logSink?: (line: string) => void;
  logLevel?: "debug" | "info" | "warn" | "error";
  /** The server's local credential, as `talon serve` writes it to `server.json`. */
  localCredential?: string;
}

/** Boots a kernel in a temp dir (with `env` and a `config.toml`), serves it, runs `fn`. */
export async function withApi(
  fn: (f: ApiFixture) => Promise<void>,
  options: WithApiOptions = {},
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "talon-api-" });
  if (options.config !== undefined) await Deno.writeTextFile(`${dir}/config.toml`, options.config);
  const env = options.env ?? {};
  const kernel = await bootKernel({
    dataDir: dir,
    env: (key) => env[key],
    log: createLogger(options.logLevel ?? "error", { sink: options.logSink ?? (() => {}) }),
  });
  const server = await startServer(kernel, {
    host: "127.0.0.1",
    port: 0,
    localCredential: options.localCredential,
  });
  try {
    const tokens = {
      viewer: (await kernel.tokens.create({ actor: "test", role: "viewer", name: "v" })).token,
      operator: (await kernel.tokens.create({ actor: "test", role: "operator", name: "o" })).token,
      admin: (await kernel.tokens.create({ actor: "test", role: "admin", name: "a" })).token,
    };
    await fn({ kernel, server, dir, tokens });
  } finally {
    const closing = server.shutdown();
    await kernel.close();
    await closing;
    await Deno.remove(dir, { recursive: true });
  }
}

/** Options for {@link call}. */
export interface CallOptions {
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** A session id, sent as the `talon_session` cookie. */
  session?: string;
  body?: string;
  /** Content type of `body` (JSON by default). */
  type?: string;
  /** Extra request headers (Origin, Sec-Fetch-Site, …). */
  headers?: Record<string, string>;
}

/** Sends one request; a `body` is sent as `type` (JSON by default). */
export async function call(
  f: ApiFixture,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<ApiResponse & { headers: Headers }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.session) headers.cookie = `talon_session=${options.session}`;
  if (options.body !== undefined) headers["content-type"] = options.type ?? "application/json";
  const res = await fetch(f.server.url + path, { method, headers, body: options.body });
  const text = await res.text();
  return {
    status: res.status,
    body: text === "" ? {} : JSON.parse(text),
    text,
    headers: res.headers,
  };
}

/** Logs in with `token` over HTTP; returns the session id from the cookie. */
export async function login(f: ApiFixture, token: string): Promise<string> {
  const r = await call(f, "POST", "/api/auth/login", { body: JSON.stringify({ token }) });
  const id = /^talon_session=([^;]+);/.exec(r.headers.get("set-cookie") ?? "")?.[1];
  if (r.status !== 200 || !id) throw new Error(`login failed: ${r.status} ${r.text}`);
  return id;
}

/** A page (or API) response as a browser test reads it. */
export interface PageReply {
  status: number;
  headers: Headers;
  /** The redirect target, if any (redirects are not followed). */
  location: string | null;
  text: string;
}

/** Options for {@link fetchPage}: a form or JSON body, and the headers a browser would send. */
export interface PageRequestInit {
  method?: string;
  cookie?: string;
  /** Sent only when given, so tests can leave it out or forge it. */
  origin?: string;
  form?: Record<string, string> | URLSearchParams | FormData;
  json?: unknown;
  token?: string;
}

/** Requests `path` like a browser would, without following redirects. */
export async function fetchPage(
  f: ApiFixture,
  path: string,
  init: PageRequestInit = {},
): Promise<PageReply> {
  const headers: Record<string, string> = {};
  if (init.cookie) headers.cookie = init.cookie;
  if (init.origin) headers.origin = init.origin;
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  let body: string | FormData | undefined;
  if (init.form instanceof FormData) {
    body = init.form;
  } else if (init.form) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(init.form).toString();
  } else if (init.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(init.json);
  }
  const res = await fetch(f.server.url + path, {
    method: init.method ?? (body === undefined ? "GET" : "POST"),
    headers,
    body,
    redirect: "manual",
  });
  return {
    status: res.status,
    headers: res.headers,
    location: res.headers.get("location"),
    text: await res.text(),
  };
}

/** A dashboard session for `role`, as the `Cookie` header value. */
export async function sessionCookie(
  f: ApiFixture,
  role: "viewer" | "operator" | "admin",
): Promise<string> {
  return `talon_session=${await login(f, f.tokens[role])}`;
}
