/**
 * `talon agent …`: spawn, list, show, message, stop, pause, resume, kill, purge.
 *
 * @module
 */
import {
  AgentState,
  type AgentView,
  parseOrRefuse,
  SpawnAgentBody,
  type TurnResult,
} from "../../kernel/types.ts";
import { parseManifestText } from "../../kernel/mod.ts";
import { withClient } from "../connect.ts";
import { json, shortTime, table } from "../format.ts";
import { UsageError } from "../io.ts";
import type { Command, CommandContext } from "./command.ts";

const JSON_OPTION = { json: { type: "boolean", help: "print JSON" } } as const;

/** Reads a manifest file (JSON or TOML: `parseManifestText()`) without validating it. */
async function readManifestFile(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (cause) {
    throw new UsageError(`cannot read manifest ${path}: ${(cause as Error).message}`);
  }
  const value = parseManifestText(text, { hint: path, source: `manifest ${path}` });
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new UsageError(`manifest ${path} is not a JSON object or TOML table`);
  }
  return value as Record<string, unknown>;
}

async function spawnBody(ctx: CommandContext): Promise<Record<string, unknown>> {
  const [file] = ctx.args;
  const body: Record<string, unknown> = file ? await readManifestFile(file) : {};
  const flags: Record<string, string> = {
    name: "name",
    description: "description",
    provider: "provider",
    model: "model",
    "system-prompt": "system_prompt",
    parent: "parent",
  };
  for (const [flag, field] of Object.entries(flags)) {
    const value = ctx.values[flag];
    if (typeof value === "string") body[field] = value;
  }
  const caps = ctx.values.capability;
  if (Array.isArray(caps) && caps.length > 0) body.capabilities = caps;
  if (!file && body.name === undefined) {
    throw new UsageError("give a manifest file or --name; see `talon agent spawn --help`");
  }
  parseOrRefuse(SpawnAgentBody, body, {
    code: "invalid_manifest",
    prefix: `invalid manifest${file ? ` ${file}` : ""}`,
  });
  return body;
}

function describe(agent: AgentView): string {
  const m = agent.manifest;
  const lines: [string, string][] = [
    ["name", agent.name],
    ["id", agent.id],
    ["state", agent.state],
    ["description", agent.description || "-"],
    ["provider", agent.provider],
    ["model", agent.model],
    ["parent", agent.parent_id ?? "-"],
    ["capabilities", agent.capabilities.join(", ") || "-"],
    ["tools", m.tools ? m.tools.join(", ") || "-" : "(built-in defaults)"],
    ["version", m.version],
    ["created", agent.created_at],
    ["last active", agent.last_active_at ?? "-"],
  ];
  return lines.map(([k, v]) => `${(k + ":").padEnd(14)}${v}`).join("\n") + "\n";
}

function lifecycle(verb: "pause" | "resume" | "kill"): Command {
  return {
    words: ["agent", verb],
    summary: verb === "kill"
      ? "Kill an agent and its children (final; the record stays until purge)"
      : verb === "pause"
      ? "Pause an agent: it accepts no messages until resumed"
      : "Resume a paused agent",
    args: ["agent"],
    options: JSON_OPTION,
    run: (ctx) =>
      withClient(ctx.globals, async (client) => {
        const ref = ctx.args[0]!;
        const agent = verb === "pause"
          ? await client.pauseAgent(ref)
          : verb === "resume"
          ? await client.resumeAgent(ref)
          : await client.killAgent(ref);
        ctx.io.out(ctx.globals.json ? json(agent) : `Agent ${agent.name} is now ${agent.state}.\n`);
        return 0;
      }),
  };
}

function printTurnEvent(ctx: CommandContext, type: string, data: unknown): void {
  if (ctx.globals.json) return;
  const d = data as Record<string, unknown>;
  if (type === "token") ctx.io.out(String(d.text));
  else if (type === "tool_start") ctx.io.err(`\n[tool ${d.name} started]\n`);
  else if (type === "tool_end") ctx.io.err(`[tool ${d.name} ${d.ok ? "done" : "failed"}]\n`);
}

function finishTurn(ctx: CommandContext, result: TurnResult): number {
  if (ctx.globals.json) {
    ctx.io.out(json(result));
  } else {
    ctx.io.out("\n");
  }
  if (result.status === "completed") return 0;
  const why = result.error?.message ?? `turn ${result.status}`;
  ctx.io.err(`error: ${why}\n`);
  return 1;
}

/** Every `talon agent` command. */
export const agentCommands: Command[] = [
  {
    words: ["agent", "spawn"],
    summary: "Spawn an agent from a manifest file or flags",
    args: ["manifest?"],
    options: {
      name: { type: "string", value: "<name>", help: "agent name (a slug)" },
      description: { type: "string", value: "<text>", help: "free-text description" },
      provider: {
        type: "string",
        value: "<provider>",
        help: "provider entry (default: offline unless a key is set)",
      },
      model: { type: "string", value: "<model>", help: "model name (default: the provider's)" },
      "system-prompt": { type: "string", value: "<text>", help: "system prompt" },
      capability: {
        type: "string",
        multiple: true,
        value: "<cap>",
        help: "grant a capability (repeatable)",
      },
      parent: { type: "string", value: "<agent>", help: "spawn as a child of this agent" },
      ...JSON_OPTION,
    },
    notes: ["Flags override fields of the manifest file. Example manifests: examples/*.toml"],
    run: async (ctx) => {
      const body = await spawnBody(ctx);
      return withClient(ctx.globals, async (client) => {
        const agent = await client.spawnAgent(body as SpawnAgentBody);
        ctx.io.out(
          ctx.globals.json
            ? json(agent)
            : `Spawned agent ${agent.name} (${agent.id}) · ${agent.provider}/${agent.model} · ${agent.state}\n`,
        );
        return 0;
      });
    },
  },
  {
    words: ["agent", "list"],
    summary: "List agents, newest first",
    args: [],
    options: {
      state: { type: "string", value: "<state>", help: "only agents in this state" },
      limit: { type: "string", value: "<n>", help: "at most n agents (default 50, max 500)" },
      before: { type: "string", value: "<id>", help: "agents created before this one (paging)" },
      ...JSON_OPTION,
    },
    run: (ctx) => {
      const state = ctx.values.state as string | undefined;
      if (state !== undefined && !AgentState.safeParse(state).success) {
        throw new UsageError(`--state must be one of ${AgentState.options.join(", ")}`);
      }
      const limitRaw = ctx.values.limit as string | undefined;
      const limit = limitRaw === undefined ? undefined : Number(limitRaw);
      if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= 500)) {
        throw new UsageError("--limit must be an integer from 1 to 500");
      }
      return withClient(ctx.globals, async (client) => {
        const agents = await client.listAgents({
          state: state as AgentState | undefined,
          limit,
          before: ctx.values.before as string | undefined,
        });
        if (ctx.globals.json) ctx.io.out(json(agents));
        else if (agents.length === 0) {
          ctx.io.out("No agents. Spawn one: talon agent spawn --name my-agent\n");
        } else {
          ctx.io.out(table(
            ["NAME", "STATE", "PROVIDER", "MODEL", "CREATED", "ID"],
            agents.map((
              a,
            ) => [a.name, a.state, a.provider, a.model, shortTime(a.created_at), a.id]),
          ));
        }
        return 0;
      });
    },
  },
  {
    words: ["agent", "show"],
    summary: "Show one agent",
    args: ["agent"],
    options: JSON_OPTION,
    run: (ctx) =>
      withClient(ctx.globals, async (client) => {
        const agent = await client.getAgent(ctx.args[0]!);
        ctx.io.out(ctx.globals.json ? json(agent) : describe(agent));
        return 0;
      }),
  },
  {
    words: ["agent", "message"],
    summary: "Send a message and print the reply as it streams",
    args: ["agent", "text"],
    options: JSON_OPTION,
    run: (ctx) => {
      const [ref, text] = ctx.args as [string, string];
      if (text.trim() === "") throw new UsageError("the message text is empty");
      return withClient(ctx.globals, async (client) => {
        const result = await client.message(ref, text, (e) => printTurnEvent(ctx, e.type, e.data));
        return finishTurn(ctx, result);
      });
    },
  },
  lifecycle("pause"),
  lifecycle("resume"),
  lifecycle("kill"),
  {
    words: ["agent", "stop"],
    summary: "Stop the agent's turn in flight, keeping its partial answer",
    args: ["agent"],
    options: JSON_OPTION,
    run: (ctx) =>
      withClient(ctx.globals, async (client) => {
        const result = await client.stopAgent(ctx.args[0]!);
        if (ctx.globals.json) ctx.io.out(json(result));
        else if (!result.stopped) ctx.io.out("No turn was in flight; nothing to stop.\n");
        else {
          ctx.io.out(
            `Stopped turn ${result.turn_id}; its partial answer (${result.reply.length} characters) is kept, marked ${result.status}.\n`,
          );
        }
        return 0;
      }),
  },
  {
    words: ["agent", "purge"],
    summary: "Remove killed agents and their sessions",
    args: [],
    options: JSON_OPTION,
    run: (ctx) =>
      withClient(ctx.globals, async (client) => {
        const purged = await client.purgeAgents();
        ctx.io.out(
          ctx.globals.json
            ? json({ purged })
            : `Purged ${purged} killed agent${purged === 1 ? "" : "s"}.\n`,
        );
        return 0;
      }),
  },
];
