/**
 * Talon as an MCP server, through the official SDK's low-level `Server`:
 * `talon_agent_<name>` per agent that is not killed (send a message, get the
 * reply), `talon_list_agents`, `talon_spawn_agent` and `talon_schedule_add`.
 * The tool list is read on every `tools/list`, so agents spawned meanwhile
 * appear. A caller below a tool's role gets an MCP error naming that role.
 * This module and the SDK load on first use (kernel/protocols/mcp_host.ts).
 *
 * @module
 */
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  type CallToolRequest,
  CallToolRequestSchema,
  type CallToolResult,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  type Tool,
} from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { isTalonError } from "../errors.ts";
import type { Kernel } from "../kernel.ts";
import {
  type AgentView,
  CreateScheduleBody,
  type Role,
  roleAtLeast,
  SpawnAgentBody,
} from "../types.ts";
import { VERSION } from "../version.ts";
import type { McpCaller } from "./mcp_host.ts";

const AGENT_PREFIX = "talon_agent_";

const MessageArgs = z.strictObject({
  text: z.string().trim().min(1, "must not be empty").max(100_000),
});
const NoArgs = z.strictObject({});

function schemaOf(schema: z.core.$ZodType): Tool["inputSchema"] {
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
  delete (json as Record<string, unknown>).$schema;
  return json as Tool["inputSchema"];
}

interface StaticTool {
  role: Role;
  description: string;
  input: z.core.$ZodType;
  run: (kernel: Kernel, args: unknown, caller: McpCaller) => Promise<unknown> | unknown;
}

const STATIC_TOOLS: Record<string, StaticTool> = {
  talon_list_agents: {
    role: "viewer",
    description: "List Talon's agents that are not killed: name, state, model and description.",
    input: NoArgs,
    run: (kernel) =>
      liveAgents(kernel).map((a) => ({
        name: a.name,
        state: a.state,
        provider: a.provider,
        model: a.model,
        description: a.description,
      })),
  },
  talon_spawn_agent: {
    role: "operator",
    description:
      "Spawn a Talon agent from a manifest (name, provider, model, system_prompt, tools, capabilities, …).",
    input: SpawnAgentBody,
    run: (kernel, args, caller) => {
      const { parent, ...manifest } = z.parse(SpawnAgentBody, args);
      return kernel.agents.spawn(manifest, { parent, actor: caller.actor });
    },
  },
  talon_schedule_add: {
    role: "operator",
    description:
      "Schedule a message to a Talon agent: cron (with timezone), every (an interval) or at (once).",
    input: CreateScheduleBody,
    run: (kernel, args, caller) =>
      kernel.schedules.create(z.parse(CreateScheduleBody, args), { actor: caller.actor }),
  },
};

/** Every agent that is not killed, oldest first. */
function liveAgents(kernel: Kernel): AgentView[] {
  const all: AgentView[] = [];
  let page = kernel.agents.list({ limit: 500 });
  for (;;) {
    all.push(...page.filter((a) => a.state !== "killed"));
    if (page.length < 500) return all.reverse();
    page = kernel.agents.list({ limit: 500, before: page.at(-1)!.id });
  }
}

function listTools(kernel: Kernel): Tool[] {
  const tools: Tool[] = liveAgents(kernel).map((agent) => ({
    name: AGENT_PREFIX + agent.name,
    description: `Send a message to the Talon agent "${agent.name}" and return its reply.${
      agent.description ? ` ${agent.description}` : ""
    } Needs the operator role.`,
    inputSchema: schemaOf(MessageArgs),
  }));
  for (const [name, tool] of Object.entries(STATIC_TOOLS)) {
    tools.push({
      name,
      description: `${tool.description} Needs the ${tool.role} role.`,
      inputSchema: schemaOf(tool.input),
    });
  }
  return tools;
}

function requireRole(caller: McpCaller, tool: string, least: Role): void {
  if (!roleAtLeast(caller.role, least)) {
    throw new McpError(
      ErrorCode.InvalidRequest,
      `${tool} needs the ${least} role; this caller is ${caller.role}. Use a token with the ${least} role (talon token create --role ${least})`,
    );
  }
}

function textResult(value: unknown, isError = false): CallToolResult {
  const text = typeof value === "string" ? value : JSON.stringify(value, null, 2);
  return { content: [{ type: "text", text }], isError };
}

async function askAgent(
  kernel: Kernel,
  agentName: string,
  args: unknown,
  caller: McpCaller,
): Promise<CallToolResult> {
  const { text } = MessageArgs.parse(args ?? {});
  const result = await kernel.agents.send(agentName, text, { actor: caller.actor }).result;
  if (result.status !== "completed") {
    const why = result.error ? `${result.error.code}: ${result.error.message}` : result.status;
    return textResult(
      `the turn ended ${result.status} (${why})${result.reply ? `\n\n${result.reply}` : ""}`,
      true,
    );
  }
  return textResult(result.reply);
}

function failure(error: unknown): CallToolResult {
  if (error instanceof z.ZodError) {
    const where = error.issues.map((i) => `${i.path.join(".") || "(arguments)"}: ${i.message}`);
    return textResult(`invalid arguments: ${where.join("; ")}`, true);
  }
  if (isTalonError(error)) return textResult(`${error.code}: ${error.message}`, true);
  throw error;
}

/** An MCP server over `kernel` for one caller; connect it to a transport. */
export function createMcpServer(kernel: Kernel, caller: McpCaller): Server {
  const server = new Server(
    { name: "talon", version: VERSION },
    { capabilities: { tools: { listChanged: false } } },
  );
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: listTools(kernel) }));
  server.setRequestHandler(CallToolRequestSchema, async (request: CallToolRequest) => {
    const { name, arguments: args } = request.params;
    const tool = STATIC_TOOLS[name];
    if (tool) {
      requireRole(caller, name, tool.role);
      try {
        return textResult(await tool.run(kernel, args ?? {}, caller));
      } catch (error) {
        return failure(error);
      }
    }
    const agent = name.startsWith(AGENT_PREFIX) ? name.slice(AGENT_PREFIX.length) : undefined;
    if (agent === undefined || !liveAgents(kernel).some((a) => a.name === agent)) {
      throw new McpError(
        ErrorCode.InvalidParams,
        `unknown tool "${name}"; list the tools (tools/list) for the ones this Talon offers`,
      );
    }
    requireRole(caller, name, "operator");
    try {
      return await askAgent(kernel, agent, args, caller);
    } catch (error) {
      return failure(error);
    }
  });
  return server;
}
