/**
 * `talon schedule add|list|show|edit|enable|disable|remove|run-now|runs`.
 * Without a running server these manage the rows only and say so: schedules
 * fire while `talon serve` runs.
 *
 * @module
 */
import {
  CreateScheduleBody,
  ScheduleEdit,
  ScheduleListQuery,
  ScheduleRunsQuery,
  type ScheduleView,
} from "../../kernel/types.ts";
import { formatTs } from "../../kernel/format.ts";
import type { TalonClient } from "../client.ts";
import { withClient } from "../connect.ts";
import { json } from "../format.ts";
import { type CliIo, UsageError } from "../io.ts";
import { checked, flag } from "./checked.ts";
import type { Command, CommandContext, OptionSpec } from "./command.ts";
import { describeSchedule, renderRuns, renderSchedules, whenOf } from "./schedule_render.ts";
import { firedLine, noteServeNeeded, TZ_OPTION } from "./timed_flags.ts";

const JSON_OPTION = { json: { type: "boolean", help: "print JSON" } } as const;

/** The flags of `add` and `edit`, and the spec field each sets. */
const SPEC_FLAGS: Record<string, { field: string; option: OptionSpec }> = {
  cron: {
    field: "cron",
    option: {
      type: "string",
      value: "<expr>",
      help: 'cron: 5 fields, or 6 with seconds first ("0 9 * * 1-5")',
    },
  },
  tz: {
    field: "tz",
    option: TZ_OPTION,
  },
  every: {
    field: "every",
    option: { type: "string", value: "<duration>", help: "fire every 30s, 5m, 2h, 1h30m, …" },
  },
  at: {
    field: "at",
    option: {
      type: "string",
      value: "<ISO time>",
      help: "fire once at this time (2026-03-29T09:00:00Z), then disable",
    },
  },
  message: {
    field: "message",
    option: { type: "string", value: "<text>", help: "the message sent to the agent" },
  },
  "catch-up": {
    field: "catch_up",
    option: {
      type: "string",
      value: "once|skip",
      help: "firings missed while Talon was down: one catch-up run, or one missed record",
    },
  },
  overlap: {
    field: "overlap",
    option: {
      type: "string",
      value: "skip|queue",
      help: "a firing while the previous run goes on: skip it, or queue one",
    },
  },
  "max-runtime": {
    field: "max_runtime",
    option: {
      type: "string",
      value: "<duration>",
      help: "stop the turn after this long, approval waits included (default 10m)",
    },
  },
};

const SPEC_OPTIONS: Record<string, OptionSpec> = Object.fromEntries(
  Object.entries(SPEC_FLAGS).map(([name, { option }]) => [name, option]),
);

/** The spec fields the flags give. */
function specOf(ctx: CommandContext): Record<string, string> {
  const spec: Record<string, string> = {};
  for (const [name, { field }] of Object.entries(SPEC_FLAGS)) {
    const value = flag(ctx.values, name);
    if (value !== undefined) spec[field] = value;
  }
  return spec;
}

/** Says on stderr that schedules fire only under `talon serve`, when none is running. */
function noteFiring(client: TalonClient, io: CliIo): void {
  noteServeNeeded(client, io, "schedules fire");
}

function nextRun(s: ScheduleView): string {
  return s.next_run_at === null ? "no next run" : `next run ${formatTs(s.next_run_at)} UTC`;
}

function toggle(enabled: boolean): Command {
  const verb = enabled ? "enable" : "disable";
  return {
    words: ["schedule", verb],
    summary: enabled
      ? "Enable a schedule: it fires next at its next due time from now"
      : "Disable a schedule: it keeps its runs and can be enabled again",
    args: ["id"],
    options: JSON_OPTION,
    run: (ctx) =>
      withClient(ctx.globals, async (client) => {
        const s = await client.updateSchedule(ctx.args[0]!, { enabled });
        ctx.io.out(
          ctx.globals.json
            ? json(s)
            : `Schedule ${s.id} is ${verb}d${enabled ? `; ${nextRun(s)}` : ""}.\n`,
        );
        if (enabled) noteFiring(client, ctx.io);
        return 0;
      }),
  };
}

/** Every `talon schedule` command. */
export const scheduleCommands: Command[] = [
  {
    words: ["schedule", "add"],
    summary: "Schedule a message to an agent (cron, every or at); prints the id last",
    args: ["agent"],
    options: {
      ...SPEC_OPTIONS,
      disabled: { type: "boolean", help: "create it disabled" },
      ...JSON_OPTION,
    },
    notes: [
      "Give exactly one of --cron, --every or --at, and --message. Schedules made here may",
      "fire every second at most. They fire only while `talon serve` runs.",
    ],
    run: (ctx) => {
      const body = checked(CreateScheduleBody, {
        agent: ctx.args[0],
        ...specOf(ctx),
        ...(ctx.values.disabled === true ? { enabled: false } : {}),
      }, "schedule");
      return withClient(ctx.globals, async (client) => {
        const s = await client.createSchedule(body);
        ctx.io.out(
          ctx.globals.json
            ? json(s)
            : `Scheduled ${whenOf(s)} for agent ${s.agent_name}; ${
              s.enabled ? nextRun(s) : "disabled"
            }.\n${s.id}\n`,
        );
        noteFiring(client, ctx.io);
        return 0;
      });
    },
  },
  {
    words: ["schedule", "list"],
    summary: "List schedules, oldest first",
    args: [],
    options: {
      agent: { type: "string", value: "<agent>", help: "only this agent's (id or name)" },
      owner: { type: "string", value: "user|agent|manifest", help: "only rows of this owner" },
      ...JSON_OPTION,
    },
    run: (ctx) => {
      const query = checked(ScheduleListQuery, {
        agent: flag(ctx.values, "agent"),
        owner: flag(ctx.values, "owner"),
      }, "options");
      return withClient(ctx.globals, async (client) => {
        const schedules = await client.listSchedules(query);
        ctx.io.out(ctx.globals.json ? json(schedules) : renderSchedules(schedules));
        noteFiring(client, ctx.io);
        return 0;
      });
    },
  },
  {
    words: ["schedule", "show"],
    summary: "Show one schedule",
    args: ["id"],
    options: JSON_OPTION,
    run: (ctx) =>
      withClient(ctx.globals, async (client) => {
        const s = await client.getSchedule(ctx.args[0]!);
        ctx.io.out(ctx.globals.json ? json(s) : describeSchedule(s));
        return 0;
      }),
  },
  {
    words: ["schedule", "edit"],
    summary: "Change a schedule (--cron, --every or --at switches its kind)",
    args: ["id"],
    options: { ...SPEC_OPTIONS, ...JSON_OPTION },
    notes: ["A schedule owned by an agent's manifest is changed through the manifest instead."],
    run: (ctx) => {
      const spec = specOf(ctx);
      if (Object.keys(spec).length === 0) {
        throw new UsageError(
          `give at least one of ${Object.keys(SPEC_FLAGS).map((f) => `--${f}`).join(", ")}`,
        );
      }
      const edit = checked(ScheduleEdit, spec, "edit");
      return withClient(ctx.globals, async (client) => {
        const s = await client.updateSchedule(ctx.args[0]!, edit);
        ctx.io.out(
          ctx.globals.json
            ? json(s)
            : `Schedule ${s.id} is now ${whenOf(s)}; ${s.enabled ? nextRun(s) : "disabled"}.\n`,
        );
        noteFiring(client, ctx.io);
        return 0;
      });
    },
  },
  toggle(true),
  toggle(false),
  {
    words: ["schedule", "remove"],
    summary: "Delete a schedule and its runs (not one owned by a manifest)",
    args: ["id"],
    options: JSON_OPTION,
    run: (ctx) =>
      withClient(ctx.globals, async (client) => {
        const id = ctx.args[0]!;
        await client.removeSchedule(id);
        ctx.io.out(ctx.globals.json ? json({ removed: id }) : `Removed schedule ${id}.\n`);
        return 0;
      }),
  },
  {
    words: ["schedule", "run-now"],
    summary: "Fire a schedule now, outside its timing (needs `talon serve` running)",
    args: ["id"],
    options: JSON_OPTION,
    run: (ctx) =>
      withClient(ctx.globals, async (client) => {
        const run = await client.runSchedule(ctx.args[0]!);
        ctx.io.out(
          ctx.globals.json
            ? json(run)
            : firedLine(run, `see talon schedule runs ${run.schedule_id}`),
        );
        return 0;
      }),
  },
  {
    words: ["schedule", "runs"],
    summary: "A schedule's runs, newest first",
    args: ["id"],
    options: {
      limit: { type: "string", value: "<n>", help: "at most n runs (default 50, max 500)" },
      before: { type: "string", value: "<run>", help: "runs older than this run id (paging)" },
      ...JSON_OPTION,
    },
    run: (ctx) => {
      const query = checked(ScheduleRunsQuery, {
        limit: flag(ctx.values, "limit"),
        before: flag(ctx.values, "before"),
      }, "options");
      return withClient(ctx.globals, async (client) => {
        const id = ctx.args[0]!;
        const page = await client.scheduleRuns(id, query);
        ctx.io.out(ctx.globals.json ? json(page) : renderRuns(id, page));
        return 0;
      });
    },
  },
];
