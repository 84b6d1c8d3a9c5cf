/**
 * `talon budget show|set`: spending caps and what was spent against them.
 *
 * @module
 */
import { formatUsd } from "../../kernel/format.ts";
import {
  AgentBudgetPatch,
  type BudgetReport,
  describeIssues,
  GlobalBudgetPatch,
} from "../../kernel/types.ts";
import { withClient } from "../connect.ts";
import { json, table } from "../format.ts";
import { UsageError } from "../io.ts";
import type { Command, CommandContext } from "./command.ts";

const AGENT_FLAGS = {
  "tokens-per-hour": "tokens_per_hour",
  "usd-per-day": "usd_per_day",
  "tool-calls-per-minute": "tool_calls_per_minute",
} as const;

const GLOBAL_FLAGS = {
  "usd-per-hour": "usd_per_hour",
  "usd-per-day": "usd_per_day",
  "usd-per-month": "usd_per_month",
} as const;

function of(used: string, cap: number | undefined): string {
  return cap === undefined ? `${used} / -` : `${used} / ${cap}`;
}

/** The report as tables: global caps and spend, then one row per agent. */
export function renderBudget(report: BudgetReport): string {
  const g = report.global;
  const cap = (n: number | undefined) => (n === undefined ? "unlimited" : formatUsd(n));
  const global = table(["GLOBAL", "SPENT", "CAP"], [
    ["last hour", formatUsd(g.spent.usd_last_hour), cap(g.caps.usd_per_hour)],
    ["last day", formatUsd(g.spent.usd_last_day), cap(g.caps.usd_per_day)],
    ["this month (UTC)", formatUsd(g.spent.usd_this_month), cap(g.caps.usd_per_month)],
  ]);
  if (report.agents.length === 0) return `${global}\nNo live agents.\n`;
  const agents = table(
    ["AGENT", "STATE", "TOKENS/HOUR", "USD/DAY", "TOOL CALLS/MIN"],
    report.agents.map((a) => [
      a.name,
      a.state,
      of(String(a.used.tokens_last_hour), a.caps.tokens_per_hour),
      a.caps.usd_per_day === undefined
        ? `${formatUsd(a.used.usd_last_day)} / -`
        : `${formatUsd(a.used.usd_last_day)} / ${formatUsd(a.caps.usd_per_day)}`,
      of(String(a.used.tool_calls_last_minute), a.caps.tool_calls_per_minute),
    ]),
  );
  return `${global}\n${agents}Use includes each agent's children; "-" is no cap.\n`;
}

/** Reads cap flags into a patch: a number sets, `none` clears. */
function readPatch(
  ctx: CommandContext,
  flags: Record<string, string>,
): Record<string, number | null> {
  const patch: Record<string, number | null> = {};
  for (const [flag, key] of Object.entries(flags)) {
    const raw = ctx.values[flag];
    if (typeof raw !== "string") continue;
    if (raw === "none") patch[key] = null;
    else if (/^\d+(\.\d+)?$/.test(raw.trim())) patch[key] = Number(raw);
    else throw new UsageError(`--${flag} must be a number or "none", got "${raw}"`);
  }
  if (Object.keys(patch).length === 0) {
    throw new UsageError(
      `give at least one cap: ${Object.keys(flags).map((f) => `--${f}`).join(", ")}`,
    );
  }
  return patch;
}

/** Every `talon budget` command. */
export const budgetCommands: Command[] = [
  {
    words: ["budget", "show"],
    summary: "Show global spend and caps, and each live agent's use against its caps",
    args: ["agent?"],
    options: { json: { type: "boolean", help: "print JSON" } },
    run: (ctx) =>
      withClient(ctx.globals, async (client) => {
        const report = await client.budget(ctx.args[0]);
        ctx.io.out(ctx.globals.json ? json(report) : renderBudget(report));
        return 0;
      }),
  },
  {
    words: ["budget", "set"],
    summary: "Set or clear caps of one agent, or with --global the global caps (admin)",
    args: ["agent?"],
    options: {
      global: { type: "boolean", help: "set the global caps instead of an agent's" },
      "tokens-per-hour": { type: "string", value: "<n|none>", help: "agent: tokens per hour" },
      "usd-per-day": { type: "string", value: "<usd|none>", help: "agent or global: USD per day" },
      "tool-calls-per-minute": {
        type: "string",
        value: "<n|none>",
        help: "agent: tool calls per minute",
      },
      "usd-per-hour": { type: "string", value: "<usd|none>", help: "global: USD per hour" },
      "usd-per-month": { type: "string", value: "<usd|none>", help: "global: USD per month" },
      json: { type: "boolean", help: "print JSON" },
    },
    notes: [
      "A manifest's resources can only lower these caps. `none` removes an admin-set cap,",
      "so the [budget] defaults of config.toml apply again.",
    ],
    run: (ctx) => {
      const [ref] = ctx.args;
      const global = ctx.values.global === true;
      if (global === (ref !== undefined)) {
        throw new UsageError("name an agent or pass --global (not both)");
      }
      const flags: Record<string, string> = global ? GLOBAL_FLAGS : AGENT_FLAGS;
      const other = Object.keys(global ? AGENT_FLAGS : GLOBAL_FLAGS)
        .filter((f) => !(f in flags) && typeof ctx.values[f] === "string");
      if (other.length) {
        throw new UsageError(
          `--${other[0]} applies to ${global ? "an agent" : "--global"}, not ${
            global ? "--global" : "an agent"
          }`,
        );
      }
      const patch = readPatch(ctx, flags);
      const schema = global ? GlobalBudgetPatch : AgentBudgetPatch;
      const parsed = schema.safeParse(patch);
      if (!parsed.success) throw new UsageError(`invalid caps: ${describeIssues(parsed.error)}`);
      return withClient(ctx.globals, async (client) => {
        const report = global
          ? { global: await client.setGlobalBudget(parsed.data as GlobalBudgetPatch) }
          : await client.setAgentBudget(ref!, parsed.data as AgentBudgetPatch);
        if (ctx.globals.json) ctx.io.out(json(report));
        else {
          const caps = "global" in report ? report.global : report.caps;
          const shown = Object.entries(caps).map(([k, v]) => `${k}=${v}`).join(", ") || "none";
          ctx.io.out(`${global ? "Global caps" : `Caps of agent ${ref}`} are now: ${shown}.\n`);
        }
        return 0;
      });
    },
  },
];
