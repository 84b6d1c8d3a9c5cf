/**
 * `talon session list|show|switch|label|export <agent>`, `talon compact <agent>`,
 * `talon backup <file>` and `talon restore <file>`.
 *
 * @module
 */
import { restoreDatabase, TalonError } from "../../kernel/mod.ts";
import {
  type CompactResult,
  describeIssues,
  SessionExportQuery,
  SessionId,
  type SessionMessage,
  SessionPatch,
  SessionQuery,
  type SessionView,
} from "../../kernel/types.ts";
import { resolveDataDir, withClient } from "../connect.ts";
import { json, shortTime, table } from "../format.ts";
import { UsageError } from "../io.ts";
import type { Command } from "./command.ts";

const JSON_OPTION = { json: { type: "boolean", help: "print JSON" } } as const;

/** A session id argument, checked before anything is asked of Talon. */
function sessionArg(value: string): string {
  const parsed = SessionId.safeParse(value);
  if (!parsed.success) {
    throw new UsageError(
      `"${value}" is not a session id; \`talon session list <agent>\` shows them`,
    );
  }
  return parsed.data;
}

function sessionRows(sessions: SessionView[]): string {
  if (sessions.length === 0) return "No sessions yet: the agent's first message starts one.\n";
  return table(
    ["", "ID", "STARTED", "LAST MESSAGE", "MESSAGES", "SUMMARIES", "LABEL"],
    sessions.map((s) => [
      s.current ? "*" : "",
      s.id,
      shortTime(s.created_at),
      shortTime(s.last_message_at),
      String(s.message_count),
      String(s.summaries),
      s.label || "-",
    ]),
  ) + "* current session: the agent's next message continues it.\n";
}

function messageLines(messages: SessionMessage[]): string {
  return messages.map((m) => {
    const calls = (m.tool_calls ?? []).map((c) => ` [calls ${c.name}]`).join("");
    const status = m.status && m.status !== "complete"
      ? ` (${m.status})`
      : m.turn_status
      ? ` (turn ${m.turn_status})`
      : "";
    return `${m.id}  ${shortTime(m.created_at)}  ${m.role}${status}: ${m.text}${calls}\n`;
  }).join("");
}

function compactLine(result: CompactResult): string {
  if (!result.compacted || !result.summary) {
    return `Nothing to compact: the session's turns are all kept verbatim (${result.kept_messages} messages).\n`;
  }
  const s = result.summary;
  return `Compacted ${s.message_count} messages into a summary (${s.output_tokens} tokens, ${s.model}); ${result.kept_messages} recent messages stay verbatim. The stored messages are kept.\n`;
}

/** Every `talon session` command, `talon compact`, `talon backup` and `talon restore`. */
export const sessionCommands: Command[] = [
  {
    words: ["session", "list"],
    summary: "List an agent's sessions, newest first (* marks the current one)",
    args: ["agent"],
    options: JSON_OPTION,
    run: (ctx) =>
      withClient(ctx.globals, async (client) => {
        const sessions = await client.listSessions(ctx.args[0]!);
        ctx.io.out(ctx.globals.json ? json({ sessions }) : sessionRows(sessions));
        return 0;
      }),
  },
  {
    words: ["session", "show"],
    summary: "Show a session (the current one by default) and its last messages",
    args: ["agent", "session?"],
    options: {
      limit: { type: "string", value: "<n>", help: "messages to show (default 20, max 500)" },
      ...JSON_OPTION,
    },
    run: (ctx) => {
      const [ref, sid] = ctx.args;
      const explicit = sid === undefined ? undefined : sessionArg(sid);
      const query = SessionQuery.safeParse({ limit: ctx.values.limit ?? "20" });
      if (!query.success) throw new UsageError(`--limit: ${describeIssues(query.error)}`);
      return withClient(ctx.globals, async (client) => {
        const id = explicit ?? (await client.listSessions(ref!)).find((s) => s.current)?.id;
        if (id === undefined) {
          throw new TalonError("not_found", `agent "${ref}" has no session yet`);
        }
        const session = await client.getSession(ref!, id);
        const page = await client.sessionMessages(ref!, id, query.data);
        if (ctx.globals.json) {
          ctx.io.out(json({ session, messages: page.messages }));
          return 0;
        }
        ctx.io.out(
          `Session ${session.id}${session.current ? " (current)" : ""}${
            session.label ? ` — ${session.label}` : ""
          }\nStarted ${
            shortTime(session.created_at)
          }, ${session.message_count} messages, ${session.summaries} summaries.\n\n${
            messageLines(page.messages)
          }`,
        );
        return 0;
      });
    },
  },
  {
    words: ["session", "switch"],
    summary: "Make one of an agent's sessions current: its next message continues it",
    args: ["agent", "session"],
    options: JSON_OPTION,
    run: (ctx) => {
      const sid = sessionArg(ctx.args[1]!);
      return withClient(ctx.globals, async (client) => {
        const session = await client.switchSession(ctx.args[0]!, sid);
        ctx.io.out(
          ctx.globals.json ? json(session) : `Session ${session.id} is now current.\n`,
        );
        return 0;
      });
    },
  },
  {
    words: ["session", "label"],
    summary: 'Set (or with "" clear) a session\'s label',
    args: ["agent", "session", "label"],
    options: JSON_OPTION,
    run: (ctx) => {
      const sid = sessionArg(ctx.args[1]!);
      const patch = SessionPatch.safeParse({ label: ctx.args[2] });
      if (!patch.success) throw new UsageError(`label: ${describeIssues(patch.error)}`);
      return withClient(ctx.globals, async (client) => {
        const session = await client.labelSession(ctx.args[0]!, sid, patch.data);
        ctx.io.out(ctx.globals.json ? json(session) : `Label of ${session.id} set.\n`);
        return 0;
      });
    },
  },
  {
    words: ["session", "export"],
    summary: "Write a session (the current one by default) as JSON or Markdown",
    args: ["agent", "session?"],
    options: {
      format: { type: "string", value: "<json|md>", help: "json (default) or md" },
      output: {
        type: "string",
        short: "o",
        value: "<file>",
        help: "write to a new file, not stdout",
      },
    },
    run: (ctx) => {
      const [ref, sid] = ctx.args;
      const explicit = sid === undefined ? undefined : sessionArg(sid);
      const query = SessionExportQuery.safeParse({ format: ctx.values.format ?? "json" });
      if (!query.success) throw new UsageError(`--format must be json or md`);
      const output = ctx.values.output as string | undefined;
      return withClient(ctx.globals, async (client) => {
        const id = explicit ?? (await client.listSessions(ref!)).find((s) => s.current)?.id;
        if (id === undefined) {
          throw new TalonError("not_found", `agent "${ref}" has no session yet`);
        }
        const text = await client.exportSession(ref!, id, query.data.format);
        if (output === undefined) {
          ctx.io.out(text);
          return 0;
        }
        try {
          await Deno.writeTextFile(output, text, { createNew: true, mode: 0o600 });
        } catch (cause) {
          throw new TalonError(
            "invalid_input",
            cause instanceof Deno.errors.AlreadyExists
              ? `${output} already exists; choose a new file name or remove it first`
              : `cannot write ${output}: ${(cause as Error).message}`,
            { cause },
          );
        }
        ctx.io.err(`Wrote session ${id} to ${output}.\n`);
        return 0;
      });
    },
  },
  {
    words: ["compact"],
    summary: "Summarise the older turns of an agent's current session now",
    args: ["agent"],
    options: JSON_OPTION,
    notes: [
      "The agent's own model writes the summary (metered and budget-checked like any call);",
      "the prompt then uses it in place of those turns. Stored messages are never changed.",
    ],
    run: (ctx) =>
      withClient(ctx.globals, async (client) => {
        const result = await client.compact(ctx.args[0]!);
        ctx.io.out(ctx.globals.json ? json(result) : compactLine(result));
        return 0;
      }),
  },
  {
    words: ["backup"],
    summary: "Write a consistent snapshot of the database to a new file (mode 0600)",
    args: ["file"],
    options: JSON_OPTION,
    notes: [
      "Works while `talon serve` runs (through its API, admin) and without it.",
      "Restore it with `talon restore <file>` while the server is stopped.",
    ],
    run: async (ctx) => {
      const file = ctx.args[0]!;
      if (await exists(file)) {
        throw new UsageError(`${file} already exists; choose a new file name or remove it first`);
      }
      return withClient(ctx.globals, async (client) => {
        const bytes = await client.backup(file);
        ctx.io.out(
          ctx.globals.json
            ? json({ file, bytes })
            : `Backed up the database to ${file} (${bytes} bytes).\n`,
        );
        return 0;
      });
    },
  },
  {
    words: ["restore"],
    summary: "Replace the database with a backup (only while no server runs)",
    args: ["file"],
    options: JSON_OPTION,
    notes: [
      "The file's integrity and schema version are checked first; nothing changes if",
      "either fails. The replaced database is kept as talon.db.replaced-<time>.",
    ],
    run: async (ctx) => {
      const report = await restoreDatabase(resolveDataDir(ctx.globals), ctx.args[0]!);
      ctx.io.out(
        ctx.globals.json
          ? json(report)
          : `Restored ${report.restored_from} (schema version ${report.schema_version}, ${report.agents} agents).${
            report.replaced ? ` The replaced database is kept as ${report.replaced}.` : ""
          }\n`,
      );
      return 0;
    },
  },
];

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}
