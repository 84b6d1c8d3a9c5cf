/**
 * `talon audit verify|list`: the hash-chained audit log (any role may read it).
 *
 * @module
 */
import { formatTs } from "../../kernel/format.ts";
import { AUDIT_ACTIONS, AuditListQuery, type AuditVerification } from "../../kernel/types.ts";
import { withClient } from "../connect.ts";
import { json, table } from "../format.ts";
import { UsageError } from "../io.ts";
import type { Command, CommandContext } from "./command.ts";

const DETAIL_WIDTH = 60;

/** One line saying whether the chain is intact, naming the head or the first broken entry. */
export function describeVerification(result: AuditVerification): string {
  if (!result.ok && result.first_broken) {
    const { id, reason } = result.first_broken;
    const why = reason.startsWith(`entry ${id}: `) ? reason.slice(`entry ${id}: `.length) : reason;
    return `Audit chain BROKEN at entry ${id}: ${why}\n`;
  }
  const head = result.head ? `head ${result.head.id} ${result.head.hash.slice(0, 16)}` : "no head";
  const anchors = result.anchors && result.anchors.checked > 0
    ? `; ${result.anchors.checked} ${result.anchors.checked === 1 ? "anchor" : "anchors"} match`
    : "";
  return `Audit chain intact: ${result.entries} ${
    result.entries === 1 ? "entry" : "entries"
  }, ${head}${anchors}\n`;
}

function listQuery(ctx: CommandContext): Partial<AuditListQuery> {
  const raw = {
    limit: ctx.values.limit as string | undefined,
    before: ctx.values.before as string | undefined,
    agent_id: ctx.values.agent as string | undefined,
    action: ctx.values.action as string | undefined,
  };
  const parsed = AuditListQuery.safeParse(raw);
  if (parsed.success) return parsed.data;
  const field = String(parsed.error.issues[0]?.path[0] ?? "");
  throw new UsageError(
    field === "limit"
      ? "--limit must be an integer from 1 to 500"
      : field === "before"
      ? "--before must be an audit entry id (a positive integer)"
      : field === "action"
      ? `--action must be one of ${AUDIT_ACTIONS.join(", ")}`
      : "--agent must be an agent id or name (1 to 100 characters)",
  );
}

function clip(text: string): string {
  return text.length > DETAIL_WIDTH ? `${text.slice(0, DETAIL_WIDTH - 1)}…` : text;
}

/** Every `talon audit` command. */
export const auditCommands: Command[] = [
  {
    words: ["audit", "verify"],
    summary: "Verify the audit chain; exit 1 and name the first broken entry if it is not intact",
    args: [],
    options: { json: { type: "boolean", help: "print JSON" } },
    notes: [
      "The head is anchored to audit-anchors.jsonl in the data dir (hourly by default and",
      "at shutdown; [audit] anchor_url also POSTs it elsewhere): verify reports a",
      "truncated or rewritten tail when an anchored entry is gone or has another hash.",
    ],
    run: (ctx) =>
      withClient(ctx.globals, async (client) => {
        const result = await client.verifyAudit();
        ctx.io.out(ctx.globals.json ? json(result) : describeVerification(result));
        return result.ok ? 0 : 1;
      }),
  },
  {
    words: ["audit", "list"],
    summary: "List audit entries, newest first",
    args: [],
    options: {
      agent: {
        type: "string",
        value: "<agent>",
        help: "only entries about this agent (id or name)",
      },
      action: { type: "string", value: "<action>", help: "only this action, e.g. tool.call" },
      limit: { type: "string", value: "<n>", help: "at most n entries (default 50, max 500)" },
      before: { type: "string", value: "<id>", help: "entries older than this id (paging)" },
      json: { type: "boolean", help: "print JSON" },
    },
    notes: [`Actions: ${AUDIT_ACTIONS.join(", ")}`],
    run: (ctx) => {
      const query = listQuery(ctx);
      return withClient(ctx.globals, async (client) => {
        const page = await client.listAudit(query);
        if (ctx.globals.json) ctx.io.out(json(page.entries));
        else if (page.entries.length === 0) ctx.io.out("No audit entries.\n");
        else {
          ctx.io.out(table(
            ["ID", "TIME", "ACTION", "ACTOR", "AGENT", "DETAIL"],
            page.entries.map((e) => [
              String(e.id),
              formatTs(e.ts),
              e.action,
              e.actor,
              e.agent_id ?? "-",
              clip(JSON.stringify(e.detail)),
            ]),
          ));
          if (page.next_before !== null) {
            const flags = ["agent", "action", "limit"]
              .filter((k) => typeof ctx.values[k] === "string")
              .map((k) => ` --${k} ${ctx.values[k]}`).join("");
            ctx.io.out(`More: talon audit list${flags} --before ${page.next_before}\n`);
          }
        }
        return 0;
      });
    },
  },
];
