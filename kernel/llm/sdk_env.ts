/**
 * The provider SDKs probe optional environment variables while a client is
 * built (`OPENAI_CUSTOM_HEADERS`, `ANTHROPIC_CUSTOM_HEADERS`, …). Under
 * Talon's static `--allow-env=<list>` such a read prompts on a terminal, and
 * the Anthropic SDK throws `NotCapable` without one. Clients built inside
 * {@link withPermittedEnv} see the variables Talon may not read as unset.
 *
 * @module
 */

type EnvRecord = Record<string, string | undefined>;

/**
 * Runs `build` (synchronously) with `process.env` reads limited to variables
 * this process is permitted to read; everything is restored afterwards.
 */
export function withPermittedEnv<T>(build: () => T): T {
  const proc = (globalThis as { process?: { env: EnvRecord } }).process;
  if (!proc || typeof proc.env !== "object" || proc.env === null) return build();
  const original = proc.env;
  const readable = (key: string | symbol): boolean =>
    typeof key === "string" &&
    Deno.permissions.querySync({ name: "env", variable: key }).state === "granted";
  // The target is a blank object: proxy invariant checks on `original` would read the variable.
  proc.env = new Proxy({} as EnvRecord, {
    get: (_blank, key) => (readable(key) ? Reflect.get(original, key) : undefined),
    has: (_blank, key) => readable(key) && Reflect.has(original, key),
  });
  try {
    return build();
  } finally {
    proc.env = original;
  }
}
