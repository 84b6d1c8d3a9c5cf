/**
 * `talon approval list|show|approve|reject`: the gated tool calls waiting
 * for a person, exactly what each would run, and the decisions. Deciding
 * through a running server wakes the waiting turn there.
 *
 * @module
 */
import { formatTs } from "../../kernel/format.ts";
import { ApprovalListQuery, type ApprovalView, RejectBody } from "../../kernel/types.ts";
import { withClient } from "../connect.ts";
import { json, table } from "../format.ts";
import { checked, flag } from "./checked.ts";
import type { Command } from "./command.ts";

const JSON_OPTION = { json: { type: "boolean", help: "print JSON" } } as const;

function utc(ts: string | null): string {
  return ts === null ? "-" : `${formatTs(ts)} UTC`;
}

function renderList(approvals: ApprovalView[], status: string | undefined): string {
  if (approvals.length === 0) {
    return status ? `No ${status} approval requests.\n` : "No approval requests.\n";
  }
  return table(
    ["ID", "STATUS", "AGENT", "TOOL", "RISK", "CREATED (UTC)", "DECIDED BY"],
    approvals.map((a) => [
      a.id,
      a.status,
      a.agent_name,
      a.tool,
      a.risk,
      formatTs(a.created_at),
      a.decided_by ?? "-",
    ]),
  );
}

/** One request: who asks, why it is gated, and the exact arguments. */
function describe(a: ApprovalView): string {
  const lines: [string, string][] = [
    ["id", a.id],
    ["status", a.status],
    ["agent", `${a.agent_name} (${a.agent_id})`],
    ["tool", a.tool],
    ["risk", a.risk],
    ["gated by", `${a.gate}: ${a.rule}`],
    ...(a.taint.length > 0
      ? [[
        "tainted by",
        a.taint.map((s) => (s.tool ? `${s.tool} ${s.label}` : s.label)).join("; "),
      ] as [string, string]]
      : []),
    ["turn", a.turn_id],
    ["created", utc(a.created_at)],
    ["expires", a.status === "pending" ? utc(a.expires_at) : "-"],
    ["decided by", a.decided_by ?? "-"],
    ["decided", utc(a.decided_at)],
    ["reason", a.reason ?? "-"],
  ];
  const args = JSON.stringify(a.args, null, 2).split("\n").map((l) => `  ${l}`).join("\n");
  return `${
    lines.map(([k, v]) => `${(k + ":").padEnd(12)}${v}`).join("\n")
  }\narguments:\n${args}\n`;
}

/** Every `talon approval` command. */
export const approvalCommands: Command[] = [
  {
    words: ["approval", "list"],
    summary: "List approval requests, newest first",
    args: [],
    options: {
      status: {
        type: "string",
        value: "<status>",
        help: "pending, approved, rejected, expired or cancelled",
      },
      agent: { type: "string", value: "<agent>", help: "only this agent's (id or name)" },
      limit: { type: "string", value: "<n>", help: "at most n requests (default 50, max 500)" },
      ...JSON_OPTION,
    },
    run: (ctx) => {
      const query = checked(ApprovalListQuery, {
        status: flag(ctx.values, "status"),
        agent: flag(ctx.values, "agent"),
        limit: flag(ctx.values, "limit"),
      }, "options");
      return withClient(ctx.globals, async (client) => {
        const approvals = await client.listApprovals(query);
        ctx.io.out(ctx.globals.json ? json(approvals) : renderList(approvals, query.status));
        return 0;
      });
    },
  },
  {
    words: ["approval", "show"],
    summary: "Show one request with the exact arguments its call would run with",
    args: ["id"],
    options: JSON_OPTION,
    run: (ctx) =>
      withClient(ctx.globals, async (client) => {
        const a = await client.getApproval(ctx.args[0]!);
        ctx.io.out(ctx.globals.json ? json(a) : describe(a));
        return 0;
      }),
  },
  {
    words: ["approval", "approve"],
    summary: "Approve a pending request: its call runs",
    args: ["id"],
    options: JSON_OPTION,
    run: (ctx) =>
      withClient(ctx.globals, async (client) => {
        const a = await client.approve(ctx.args[0]!);
        ctx.io.out(
          ctx.globals.json
            ? json(a)
            : `Approved request ${a.id}: agent ${a.agent_name}'s ${a.tool} call runs now.\n`,
        );
        return 0;
      }),
  },
  {
    words: ["approval", "reject"],
    summary: "Reject a pending request: its call is denied and the model sees the reason",
    args: ["id"],
    options: {
      reason: { type: "string", value: "<text>", help: "why, shown to the model" },
      ...JSON_OPTION,
    },
    run: (ctx) => {
      const { reason } = checked(RejectBody, { reason: flag(ctx.values, "reason") }, "reject");
      return withClient(ctx.globals, async (client) => {
        const a = await client.reject(ctx.args[0]!, reason);
        ctx.io.out(
          ctx.globals.json
            ? json(a)
            : `Rejected request ${a.id}: agent ${a.agent_name}'s ${a.tool} call was denied${
              a.reason ? ` (${a.reason})` : ""
            }.\n`,
        );
        return 0;
      });
    },
  },
];
