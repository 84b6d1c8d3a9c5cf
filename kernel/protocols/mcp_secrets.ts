/**
 * MCP server entries hold secrets by name: the values of `headers_env`
 * variables (e.g. `Authorization = "MCP_TOKEN"`) and of the `env` variables
 * a stdio server is given. Those values join the kernel's secret set, so
 * they are redacted wherever Talon streams, stores or logs text — tool
 * output, events, the audit log — and from the MCP client's own log lines
 * (a server's stderr included), through kernel/log.ts `redactingLogger`. Variables that only locate things (`HOME`,
 * `PATH`, `DENO_DIR`, …) are not secrets: masking them would hide every
 * path a server reports.
 *
 * @module
 */
import type { SecretSet } from "../security/mod.ts";
import type { McpServerConfig } from "../types.ts";

/** Variables passed to servers whose values are not treated as secrets. */
export const PLAIN_ENV: ReadonlySet<string> = new Set([
  "HOME",
  "PATH",
  "DENO_DIR",
  "TMPDIR",
  "TMP",
  "TEMP",
  "LANG",
  "LC_ALL",
  "LC_CTYPE",
  "TERM",
  "TZ",
  "USER",
  "LOGNAME",
  "SHELL",
  "PWD",
  "NODE_ENV",
]);

/** The variables of an entry whose values are secrets. */
export function secretEnvNames(config: McpServerConfig): string[] {
  const names = config.transport === "http"
    ? Object.values(config.headers_env)
    : config.env.filter((name) => !PLAIN_ENV.has(name));
  return [...new Set(names)];
}

/** Adds the values of an entry's secret variables to `secrets`. */
export function addEntrySecrets(
  secrets: SecretSet,
  config: McpServerConfig,
  env: (key: string) => string | undefined,
): void {
  secrets.add(...secretEnvNames(config).map(env));
}
