/**
 * Shared helpers for kernel tests: temp data dirs, a silent kernel, offline
 * scripts, and an assertion on TalonError codes.
 *
 * @module
 */
import assert from "node:assert/strict";
import { bootKernel, type BootOptions } from "../../kernel/boot.ts";
import type { Kernel } from "../../kernel/kernel.ts";
import { TalonError, type TalonErrorCode } from "../../kernel/errors.ts";
import { createLogger, type Logger } from "../../kernel/log.ts";
import type { EventType, TalonEvent } from "../../kernel/types.ts";

/** A logger that writes nothing. */
export function silentLog(): Logger {
  return createLogger("error", { sink: () => {} });
}

/** An environment reader that sees no variables at all. */
export function noEnv(_key: string): string | undefined {
  return undefined;
}

/** Runs `fn` with a fresh temp dir, removed afterwards. */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "talon-test-" });
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Boots a kernel on `dataDir` with a silent logger and an empty env. */
export function boot(
  dataDir: string,
  extra: Partial<BootOptions> = {},
): Promise<Kernel> {
  return bootKernel({ dataDir, log: silentLog(), env: noEnv, ...extra });
}

/** Boots a kernel in a temp dir, runs `fn`, then closes it and removes the dir. */
export function withKernel(
  fn: (kernel: Kernel, dir: string) => Promise<void> | void,
  options: { config?: string; boot?: Partial<BootOptions> } = {},
): Promise<void> {
  return withTempDir(async (dir) => {
    if (options.config !== undefined) {
      await Deno.writeTextFile(`${dir}/config.toml`, options.config);
    }
    const kernel = await boot(dir, options.boot);
    try {
      await fn(kernel, dir);
    } finally {
      await kernel.close();
    }
  });
}

/** Writes an offline driver script into `dir`; returns its path. */
export async function writeScript(
  dir: string,
  script: unknown,
  name = "script.json",
): Promise<string> {
  const path = `${dir}/${name}`;
  await Deno.writeTextFile(
    path,
    typeof script === "string" ? script : JSON.stringify(script),
  );
  return path;
}

/** A validator for `assert.throws`/`assert.rejects`: a TalonError with `code`. */
export function talonError(
  code: TalonErrorCode,
  message?: RegExp,
): (error: unknown) => true {
  return (error: unknown): true => {
    assert.ok(
      error instanceof TalonError,
      `expected a TalonError, got ${String(error)}`,
    );
    assert.equal(error.code, code, `wrong code; message: ${error.message}`);
    if (message) assert.match(error.message, message);
    return true;
  };
}

/** Drains an async iterable into an array. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/**
 * Waits (with a generous hang guard) until a turn's events include a token:
 * the turn is running, whatever the machine's load. Fails if it ends first.
 */
export function firstToken(events: AsyncIterable<TalonEvent>, what: string): Promise<TalonEvent> {
  const seek = async () => {
    for await (const event of events) {
      if (event.type === "token") return event;
      if (event.type === "done") assert.fail(`${what} ended before streaming`);
    }
    throw new Error(`the event stream of ${what} ended`);
  };
  return settle(seek(), `the first token of ${what}`);
}

/** Persisted events of `types`, oldest first. */
export function eventsOf(
  kernel: Kernel,
  types: EventType[],
  filter: { agentId?: string; turnId?: string } = {},
): TalonEvent[] {
  return kernel.bus.replay(0, { ...filter, types, limit: 10_000 });
}

/** An agent's persisted lifecycle moves as `from->to` strings. */
export function lifecycleMoves(kernel: Kernel, agentId: string): string[] {
  return eventsOf(kernel, ["agent.lifecycle"], { agentId }).map((e) => {
    const data = e.data as { from: string | null; to: string };
    return `${data.from}->${data.to}`;
  });
}

/**
 * Awaits `promise`, failing (instead of hanging) if it has not settled within
 * `ms` — a hang guard, generous even for a turn or a CLI run on a loaded box.
 */
export async function settle<T>(promise: Promise<T>, what: string, ms = 30_000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`${what} did not settle within ${ms} ms`)),
          ms,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
