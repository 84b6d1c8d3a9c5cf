/**
 * MCP test servers: npm's reference servers (pinned in deno.lock, run by
 * Deno from its cache) and the SDK-built fake in tests/fakes, as config
 * entries for a kernel. The cleared environment gets `HOME` and `DENO_DIR`
 * so Deno finds its cache.
 *
 * @module
 */

/** The repository root: servers run there so deno.json and deno.lock apply. */
export const REPO_ROOT = new URL("../../../", import.meta.url).pathname;

/** Versions of the reference servers, as locked. */
export const EVERYTHING = "npm:@modelcontextprotocol/server-everything@2026.8.31";
export const FILESYSTEM = "npm:@modelcontextprotocol/server-filesystem@2026.8.31";

/** What a stdio entry for Deno needs from the environment. */
export const DENO_ENV = ["HOME", "DENO_DIR"];

/** A `[mcp_servers.<name>]` TOML table running `deno run -A <args>`. */
export function denoServer(
  name: string,
  args: readonly string[],
  options: { env?: readonly string[]; timeoutS?: number } = {},
): string {
  return [
    `[mcp_servers.${name}]`,
    `transport = "stdio"`,
    `command = ${JSON.stringify(Deno.execPath())}`,
    `args = ${JSON.stringify(["run", "-A", "--frozen", ...args])}`,
    `env = ${JSON.stringify([...DENO_ENV, ...(options.env ?? [])])}`,
    `cwd = ${JSON.stringify(REPO_ROOT)}`,
    `timeout_s = ${options.timeoutS ?? 60}`,
    "",
  ].join("\n");
}

/** The SDK-built fake server's script. */
export const FAKE_SERVER = new URL("../../fakes/mcp_fake_server.ts", import.meta.url).pathname;

/** An env reader with the real `HOME`/`DENO_DIR` plus `extra`. */
export function envWith(extra: Record<string, string>): (key: string) => string | undefined {
  return (key) => extra[key] ?? (DENO_ENV.includes(key) ? Deno.env.get(key) : undefined);
}
