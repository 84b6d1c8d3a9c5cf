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

/** Boots a kernel in a temp dir (with `env` and a `config.toml`), serves it, runs `fn`. */
export async function withApi(
  fn: (f: ApiFixture) => Promise<void>,
  options: { env?: Record<string, string>; config?: string } = {},
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "talon-api-" });
  if (options.config !== undefined) await Deno.writeTextFile(`${dir}/config.toml`, options.config);
  const env = options.env ?? {};
  const kernel = await bootKernel({
    dataDir: dir,
    env: (key) => env[key],
    log: createLogger("error", { sink: () => {} }),
  });
  const server = await startServer(kernel, { host: "127.0.0.1", port: 0 });
  try {
    const tokens = {
      viewer: (await kernel.tokens.create({ role: "viewer", name: "v" })).token,
      operator: (await kernel.tokens.create({ role: "operator", name: "o" })).token,
      admin: (await kernel.tokens.create({ role: "admin", name: "a" })).token,
    };
    await fn({ kernel, server, dir, tokens });
  } finally {
    const closing = server.shutdown();
    await kernel.close();
    await closing;
    await Deno.remove(dir, { recursive: true });
  }
}

/** Sends one request; a `body` is sent as `type` (JSON by default). */
export async function call(
  f: ApiFixture,
  method: string,
  path: string,
  options: { token?: string; body?: string; type?: string } = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers["content-type"] = options.type ?? "application/json";
  const res = await fetch(f.server.url + path, { method, headers, body: options.body });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text), text };
}
