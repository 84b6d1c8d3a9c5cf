/**
 * Configuration loading: `--config <file>` or `<data-dir>/config.toml`, with
 * precedence flag > environment > file > default. Unknown keys are an error
 * naming the key path, so a typo never silently falls back to a default. The
 * file's schema is `TalonConfig` in kernel/schemas/config.ts (re-exported by
 * kernel/types.ts).
 *
 * @module
 */
import { parse as parseToml } from "smol-toml";
import { TalonError } from "./errors.ts";
import { describeIssues, TalonConfig } from "./types.ts";

/** Values given on the command line; they win over everything. */
export interface ConfigFlags {
  host?: string;
  port?: number;
  logLevel?: string;
}

/** Reads an environment variable, or undefined when unset or not permitted. */
export type EnvReader = (key: string) => string | undefined;

/** Reads `Deno.env` without throwing when the key is not in `--allow-env`. */
export function denoEnv(key: string): string | undefined {
  const status = Deno.permissions.querySync({ name: "env", variable: key });
  return status.state === "granted" ? Deno.env.get(key) : undefined;
}

/** Options for {@link loadConfig}. */
export interface LoadConfigOptions {
  /** Explicit `--config` path: must exist. */
  path?: string;
  /** Default path (`<data-dir>/config.toml`): used when it exists. */
  defaultPath?: string;
  flags?: ConfigFlags;
  env?: EnvReader;
}

/**
 * Loads and validates the configuration with precedence flag > env > file >
 * default. Throws `invalid_config` naming the file and key path.
 */
export async function loadConfig(
  options: LoadConfigOptions = {},
): Promise<TalonConfig> {
  const env = options.env ?? denoEnv;
  const path = options.path ?? env("TALON_CONFIG") ?? options.defaultPath;
  const explicit = options.path !== undefined ||
    env("TALON_CONFIG") !== undefined;
  let raw: Record<string, unknown> = {};
  let source = "defaults";
  if (path !== undefined) {
    let text: string | undefined;
    try {
      text = await Deno.readTextFile(path);
    } catch (cause) {
      if (!(cause instanceof Deno.errors.NotFound) || explicit) {
        throw new TalonError(
          "invalid_config",
          `cannot read config file ${path}: ${(cause as Error).message}`,
          { cause },
        );
      }
    }
    if (text !== undefined) {
      source = path;
      try {
        raw = parseToml(text) as Record<string, unknown>;
      } catch (cause) {
        throw new TalonError(
          "invalid_config",
          `${path} is not valid TOML: ${(cause as Error).message.split("\n")[0]}`,
          { cause },
        );
      }
    }
  }
  applyOverrides(raw, env, options.flags ?? {});
  const parsed = TalonConfig.safeParse(raw);
  if (!parsed.success) {
    throw new TalonError(
      "invalid_config",
      `${source}: ${describeIssues(parsed.error)}`,
      { cause: parsed.error },
    );
  }
  return parsed.data;
}

function applyOverrides(
  raw: Record<string, unknown>,
  env: EnvReader,
  flags: ConfigFlags,
): void {
  const server = (typeof raw.server === "object" && raw.server !== null)
    ? raw.server as Record<string, unknown>
    : {};
  const host = flags.host ?? env("TALON_HOST");
  if (host !== undefined) server.host = host;
  const port = flags.port ?? envNumber(env, "TALON_PORT");
  if (port !== undefined) server.port = port;
  if (host !== undefined || port !== undefined) raw.server = server;
  const level = flags.logLevel ?? env("TALON_LOG");
  if (level !== undefined) raw.log_level = level;
}

function envNumber(env: EnvReader, key: string): number | undefined {
  const value = env(key);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) {
    throw new TalonError(
      "invalid_config",
      `${key} must be an integer, got "${value}"`,
    );
  }
  return n;
}
