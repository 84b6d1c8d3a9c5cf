/**
 * `talon hand list|show|check|activate|instances|pause|resume|run|deactivate`
 * and `talon report list|show`. Requirements are checked where Talon runs
 * (the server's process when one serves the data dir). Without a running
 * server, instances are managed but do not run: Hands run under `talon serve`.
 *
 * @module
 */
import { z } from "zod";
import { TalonError } from "../../kernel/mod.ts";
import {
  ActivateHandBody,
  HandId,
  HandInstanceQuery,
  type HandInstanceView,
  ReportListQuery,
} from "../../kernel/types.ts";
import type { TalonClient } from "../client.ts";
import { withClient } from "../connect.ts";
import { json } from "../format.ts";
import type { CliIo } from "../io.ts";
import { checked, flag } from "./checked.ts";
import type { Command } from "./command.ts";
import {
  describeHand,
  describeReport,
  instanceLine,
  renderHands,
  renderInstances,
  renderReports,
  renderRequirement,
} from "./hand_render.ts";
import { firedLine, noteServeNeeded, TZ_OPTION } from "./timed_flags.ts";

const JSON_OPTION = { json: { type: "boolean", help: "print JSON" } } as const;

function noteRunning(client: TalonClient, io: CliIo): void {
  noteServeNeeded(client, io, "Hands run");
}

/** `--set key=value` flags as a settings object; a flag without `=` names its field. */
export function settingsOf(sets: readonly string[]): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const [n, set] of sets.entries()) {
    const eq = set.indexOf("=");
    if (eq < 1) {
      throw new TalonError("invalid_input", `--set "${set}" must be key=value`, {
        fields: { [`settings.${eq === 0 ? n : set}`]: "must be key=value" },
      });
    }
    settings[set.slice(0, eq)] = set.slice(eq + 1);
  }
  return settings;
}

const handArg = z.object({ id: HandId });

function lifecycle(
  verb: "pause" | "resume" | "deactivate",
  summary: string,
  call: (client: TalonClient, ref: string) => Promise<HandInstanceView>,
): Command {
  const past = { pause: "Paused", resume: "Resumed", deactivate: "Deactivated" }[verb];
  return {
    words: ["hand", verb],
    summary,
    args: ["instance"],
    options: JSON_OPTION,
    run: (ctx) =>
      withClient(ctx.globals, async (client) => {
        const instance = await call(client, ctx.args[0]!);
        ctx.io.out(ctx.globals.json ? json(instance) : instanceLine(past, instance));
        if (verb === "resume") noteRunning(client, ctx.io);
        return 0;
      }),
  };
}

/** Every `talon hand` and `talon report` command. */
export const handCommands: Command[] = [
  {
    words: ["hand", "list"],
    summary: "List the Hands and what each still needs on this machine",
    args: [],
    options: JSON_OPTION,
    run: (ctx) =>
      withClient(ctx.globals, async (client) => {
        const hands = await client.listHands();
        ctx.io.out(ctx.globals.json ? json(hands) : renderHands(hands));
        return 0;
      }),
  },
  {
    words: ["hand", "show"],
    summary: "Show a Hand: what it does, its settings, requirements and procedure",
    args: ["id"],
    options: JSON_OPTION,
    run: (ctx) => {
      const { id } = checked(handArg, { id: ctx.args[0] }, "Hand id");
      return withClient(ctx.globals, async (client) => {
        const hand = await client.getHand(id);
        ctx.io.out(ctx.globals.json ? json(hand) : describeHand(hand));
        return 0;
      });
    },
  },
  {
    words: ["hand", "check"],
    summary: "Check a Hand's requirements here, each with its fix (exit 1 when one is missing)",
    args: ["id"],
    options: JSON_OPTION,
    run: (ctx) => {
      const { id } = checked(handArg, { id: ctx.args[0] }, "Hand id");
      return withClient(ctx.globals, async (client) => {
        const hand = await client.getHand(id);
        if (ctx.globals.json) ctx.io.out(json(hand.requirements));
        else if (hand.requirements.length === 0) {
          ctx.io.out(`${id} has no requirements; it can be activated here.\n`);
        } else {
          ctx.io.out(
            `${id}: ${hand.ready ? "every requirement is met" : "some requirements are missing"}\n${
              hand.requirements.map(renderRequirement).join("")
            }`,
          );
        }
        return hand.ready ? 0 : 1;
      });
    },
  },
  {
    words: ["hand", "activate"],
    summary: "Activate a Hand as a new instance; prints the instance id last",
    args: ["id"],
    options: {
      name: { type: "string", value: "<instance>", help: "instance name (default: the Hand id)" },
      set: {
        type: "string",
        multiple: true,
        value: "<key=value>",
        help: "a setting (repeatable); see talon hand show <id>",
      },
      cron: { type: "string", value: "<expr>", help: "override the Hand's schedule" },
      tz: TZ_OPTION,
      model: {
        type: "string",
        value: "<model>",
        help: "override the model (a catalog model, or script:<file> for the offline driver)",
      },
      ...JSON_OPTION,
    },
    notes: [
      "Settings are checked against the Hand's [[settings]]; a missing required one is named.",
    ],
    run: (ctx) => {
      const { id } = checked(handArg, { id: ctx.args[0] }, "Hand id");
      const sets = (ctx.values.set as string[] | undefined) ?? [];
      const body = checked(ActivateHandBody, {
        name: flag(ctx.values, "name"),
        settings: settingsOf(sets),
        cron: flag(ctx.values, "cron"),
        tz: flag(ctx.values, "tz"),
        model: flag(ctx.values, "model"),
      }, "activation");
      return withClient(ctx.globals, async (client) => {
        const instance = await client.activateHand(id, body);
        ctx.io.out(
          ctx.globals.json
            ? json(instance)
            : `${instanceLine("Activated", instance)}${instance.id}\n`,
        );
        noteRunning(client, ctx.io);
        return 0;
      });
    },
  },
  {
    words: ["hand", "instances"],
    summary: "List Hand instances with their next run, last run, cost and reports",
    args: [],
    options: {
      hand: { type: "string", value: "<id>", help: "only this Hand's" },
      state: { type: "string", value: "active|paused|deactivated", help: "only in this state" },
      ...JSON_OPTION,
    },
    run: (ctx) => {
      const query = checked(HandInstanceQuery, {
        hand: flag(ctx.values, "hand"),
        state: flag(ctx.values, "state"),
      }, "options");
      return withClient(ctx.globals, async (client) => {
        const instances = await client.listHandInstances(query);
        ctx.io.out(ctx.globals.json ? json(instances) : renderInstances(instances));
        return 0;
      });
    },
  },
  lifecycle(
    "pause",
    "Pause a Hand instance: its schedule stops firing",
    (c, ref) => c.pauseHandInstance(ref),
  ),
  lifecycle(
    "resume",
    "Resume a paused Hand instance",
    (c, ref) => c.resumeHandInstance(ref),
  ),
  lifecycle(
    "deactivate",
    "Deactivate a Hand instance: its agent is killed, its runs and reports kept",
    (c, ref) => c.deactivateHandInstance(ref),
  ),
  {
    words: ["hand", "run"],
    summary: "Run a Hand instance now (needs `talon serve` running)",
    args: ["instance"],
    options: JSON_OPTION,
    run: (ctx) =>
      withClient(ctx.globals, async (client) => {
        const ref = ctx.args[0]!;
        const run = await client.runHandInstance(ref);
        ctx.io.out(
          ctx.globals.json
            ? json(run)
            : firedLine(run, `its report will be listed by talon report list --instance ${ref}`),
        );
        return 0;
      }),
  },
  {
    words: ["report", "list"],
    summary: "List the reports Hand runs wrote, newest first",
    args: [],
    options: {
      instance: { type: "string", value: "<name>", help: "only this instance's (name or id)" },
      limit: { type: "string", value: "<n>", help: "at most n reports (default 50, max 500)" },
      ...JSON_OPTION,
    },
    run: (ctx) => {
      const query = checked(ReportListQuery, {
        instance: flag(ctx.values, "instance"),
        limit: flag(ctx.values, "limit"),
      }, "options");
      return withClient(ctx.globals, async (client) => {
        const reports = await client.listReports(query);
        ctx.io.out(ctx.globals.json ? json(reports) : renderReports(reports));
        return 0;
      });
    },
  },
  {
    words: ["report", "show"],
    summary: "Show a report: its sources and markdown body",
    args: ["id"],
    options: JSON_OPTION,
    run: (ctx) =>
      withClient(ctx.globals, async (client) => {
        const report = await client.getReport(ctx.args[0]!);
        ctx.io.out(ctx.globals.json ? json(report) : describeReport(report));
        return 0;
      }),
  },
];
