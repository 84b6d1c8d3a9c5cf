/**
 * What `talon schedule` and `talon hand` share about work that fires on a
 * timer: the `--tz` flag of `--cron`, the note that nothing fires without
 * `talon serve`, and how a run started by hand is reported.
 *
 * @module
 */
import type { ScheduleRunView } from "../../kernel/types.ts";
import type { TalonClient } from "../client.ts";
import type { CliIo } from "../io.ts";
import type { OptionSpec } from "./command.ts";

/** `--tz`: the time zone `--cron` is read in. */
export const TZ_OPTION: OptionSpec = {
  type: "string",
  value: "<IANA>",
  help: "time zone of --cron (default UTC)",
};

/**
 * Says on stderr that `what` (e.g. "schedules fire") happens only under
 * `talon serve`, when the client manages the data dir without one running.
 */
export function noteServeNeeded(client: TalonClient, io: CliIo, what: string): void {
  if (client.mode === "local") {
    io.err(`Note: no \`talon serve\` is running on this data dir; ${what} only while it runs.\n`);
  }
}

/** A run fired by hand, in one line; `next` says where its outcome will show. */
export function firedLine(run: ScheduleRunView, next: string): string {
  if (run.outcome === "skipped") {
    return `Run ${run.id} was skipped: ${run.message ?? run.reason}.\n`;
  }
  return `Run ${run.id} is ${run.outcome}${run.turn_id ? ` (turn ${run.turn_id})` : ""}; ${next}\n`;
}
