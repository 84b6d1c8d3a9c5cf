/**
 * Helpers for Hands tests: a config letting the SSRF guard through to
 * loopback, with priced offline models, and waiting for an instance's runs.
 *
 * @module
 */
import type { Kernel } from "../../../kernel/kernel.ts";
import type { HandRunView } from "../../../kernel/types.ts";
import { waitFor } from "../scheduler/schedule_fixtures.ts";

/** `[tools.web]` letting the guard reach 127.0.0.1. */
export const LOCAL_WEB = '[tools.web]\nallow_hosts = ["127.0.0.1"]\n';

/**
 * Waits until the instance has `count` runs and none is in flight; returns
 * them, newest first. The 60 s limit is a hang guard: a run that starts
 * Chromium on a loaded box can take well over 10 s.
 */
export function runsSettled(kernel: Kernel, instance: string, count = 1): Promise<HandRunView[]> {
  return waitFor(
    () => {
      const runs = kernel.hands.instance(instance).last_runs;
      return runs.length >= count &&
        runs.every((r) => r.outcome !== "running" && r.outcome !== "queued") &&
        runs;
    },
    `${count} run(s) of ${instance} to end`,
    60_000,
  );
}
