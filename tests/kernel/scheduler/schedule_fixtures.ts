/**
 * Helpers for schedule tests: a kernel on a FakeClock, a tool that holds a
 * turn open until released (or stopped), and polling for async outcomes.
 *
 * @module
 */
import type { BootOptions } from "../../../kernel/boot.ts";
import type { Kernel } from "../../../kernel/kernel.ts";
import type { ToolExecutor } from "../../../kernel/tools/mod.ts";
import type { ScheduleRunView } from "../../../kernel/types.ts";
import { FakeClock } from "../../fakes/fake_clock.ts";
import { boot, withTempDir, writeScript } from "../fixtures.ts";

/** A tool executor whose one tool, `hold`, waits until `release()` or the turn stops. */
export interface HoldTools {
  executor: ToolExecutor;
  /** Lets every held call (and later ones) finish. */
  release(): void;
  /** Calls currently held. */
  readonly held: number;
}

/** Creates {@link HoldTools}. */
export function holdTools(): HoldTools {
  let held = 0;
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  return {
    get held() {
      return held;
    },
    release,
    executor: {
      definitions: () => [{ name: "hold", description: "waits", parameters: { type: "object" } }],
      execute: async (_call, ctx) => {
        held++;
        try {
          await Promise.race([
            released,
            new Promise<void>((resolve) => {
              if (ctx.signal.aborted) resolve();
              ctx.signal.addEventListener("abort", () => resolve(), { once: true });
            }),
          ]);
        } finally {
          held--;
        }
        return { ok: true, output: "held" };
      },
    },
  };
}

/** An offline script whose every turn calls `hold` once, then answers "done". */
export function writeHoldScript(dir: string): Promise<string> {
  return writeScript(dir, {
    turns: [{
      match: ".*",
      steps: [{ tool_calls: [{ name: "hold", args: {} }] }, { text: "done" }],
    }],
  }, "hold.json");
}

/** Boots a kernel on `dir` driven by `clock`. */
export function bootOn(
  dir: string,
  clock: FakeClock,
  extra: Partial<BootOptions> = {},
): Promise<Kernel> {
  return boot(dir, { clock, ...extra });
}

/** Runs `fn` with a kernel on a FakeClock (default start 2026-01-05T00:00:00Z) in a temp dir. */
export function withClockKernel(
  fn: (kernel: Kernel, clock: FakeClock, dir: string) => Promise<void>,
  options: { start?: string; config?: string; boot?: Partial<BootOptions> } = {},
): Promise<void> {
  return withTempDir(async (dir) => {
    if (options.config !== undefined) {
      await Deno.writeTextFile(`${dir}/config.toml`, options.config);
    }
    const clock = new FakeClock(options.start);
    const kernel = await bootOn(dir, clock, options.boot);
    try {
      await fn(kernel, clock, dir);
    } finally {
      await kernel.close();
    }
  });
}

/** Polls `check` on wall time until it is truthy; fails after a generous `ms`. */
export async function waitFor<T>(
  check: () => T | undefined | false,
  what: string,
  ms = 30_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A schedule's runs, oldest first. */
export function runsOf(kernel: Kernel, scheduleId: string): ScheduleRunView[] {
  return kernel.schedules.runs(scheduleId, { limit: 500 }).runs.reverse();
}

/** Waits until no run of the schedule is queued or running. */
export function settled(kernel: Kernel, scheduleId: string): Promise<ScheduleRunView[]> {
  return waitFor(() => {
    const runs = runsOf(kernel, scheduleId);
    return runs.every((r) => r.outcome !== "running" && r.outcome !== "queued") && runs;
  }, "scheduled runs to end");
}
