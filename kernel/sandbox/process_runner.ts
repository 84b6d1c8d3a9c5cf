/**
 * The process runner behind `shell_exec`: runs one argv (never a shell
 * string) in a directory, with a cleared environment plus what the caller
 * passes, no stdin, capped output, and a time limit. The child starts in its
 * own session and process group (`setsid`, Deno's `detached`), so on timeout,
 * abort or exit the whole group is killed with SIGKILL to the negative pid:
 * nothing it started outlives it unless it left the group itself.
 *
 * Needs Deno's `--allow-run`; without it the run fails with
 * `permission_missing` saying which flag to add.
 *
 * @module
 */
import { type Clock, systemClock } from "../clock.ts";
import { TalonError } from "../errors.ts";

/** Options for {@link runProcess}. */
export interface RunProcessOptions {
  /** Working directory. */
  cwd: string;
  /** The child's whole environment (nothing is inherited). */
  env: Record<string, string>;
  /** Kill the process group after this long. */
  timeoutMs: number;
  /** Bytes kept of stdout and of stderr each; the rest is read and dropped. */
  maxOutputBytes: number;
  /** Kills the process group when it aborts. */
  signal?: AbortSignal;
  /** Times `timeoutMs` (default: the system clock). */
  clock?: Clock;
}

/** How a run ended. */
export interface RunProcessResult {
  pid: number;
  /** Exit code; null when a signal ended it. */
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** True when stdout or stderr went past `maxOutputBytes`. */
  truncated: boolean;
}

/** How long to wait for output pipes once the process group is gone. */
const PIPE_GRACE_MS = 1000;

/** Runs `argv` to completion under the limits in `options`. */
export async function runProcess(
  argv: readonly string[],
  options: RunProcessOptions,
): Promise<RunProcessResult> {
  const [program, ...args] = argv;
  if (!program) throw new TypeError("runProcess needs a program name");
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(program, {
      args,
      cwd: options.cwd,
      env: options.env,
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      detached: true,
    }).spawn();
  } catch (cause) {
    if (cause instanceof Deno.errors.NotCapable) {
      throw new TalonError(
        "permission_missing",
        `running "${program}" needs Talon to be started with Deno's --allow-run flag (e.g. --allow-run=${program}); this process was started without it`,
        { cause },
      );
    }
    if (cause instanceof Deno.errors.NotFound) {
      throw new TalonError("not_found", `program "${program}" was not found (PATH or path)`, {
        cause,
      });
    }
    throw cause;
  }
  const pid = child.pid;
  let timedOut = false;
  const killGroup = () => {
    try {
      Deno.kill(-pid, "SIGKILL");
    } catch {
      // the group is already gone
    }
  };
  const clock = options.clock ?? systemClock;
  const timer = clock.setTimeout(() => {
    timedOut = true;
    killGroup();
  }, options.timeoutMs);
  const onAbort = () => killGroup();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  if (options.signal?.aborted) killGroup();
  const stdout = capture(child.stdout, options.maxOutputBytes);
  const stderr = capture(child.stderr, options.maxOutputBytes);
  try {
    const status = await child.status;
    // Whatever the command left running in its group goes with it.
    killGroup();
    const [out, err] = await Promise.all([stdout.done(PIPE_GRACE_MS), stderr.done(PIPE_GRACE_MS)]);
    return {
      pid,
      code: status.signal === null ? status.code : null,
      signal: status.signal,
      stdout: out.text,
      stderr: err.text,
      timedOut,
      truncated: out.truncated || err.truncated,
    };
  } finally {
    clock.clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
  }
}

/** Reads a stream, keeping the first `max` bytes. */
function capture(
  stream: ReadableStream<Uint8Array>,
  max: number,
): { done(graceMs: number): Promise<{ text: string; truncated: boolean }> } {
  const reader = stream.getReader();
  const kept: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  const reading = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      if (size < max) kept.push(value.subarray(0, max - size));
      size += value.length;
      if (size > max) truncated = true;
    }
  })().catch(() => {});
  return {
    async done(graceMs) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      });
      await Promise.race([reading, late]);
      clearTimeout(timer);
      // A process that left the group may still hold the pipe: stop reading it.
      await reader.cancel().catch(() => {});
      const all = new Uint8Array(kept.reduce((n, c) => n + c.length, 0));
      let at = 0;
      for (const c of kept) {
        all.set(c, at);
        at += c.length;
      }
      return { text: new TextDecoder().decode(all), truncated };
    },
  };
}
