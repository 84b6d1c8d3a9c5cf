/**
 * The agent-to-agent tools. `agent_list` and `agent_send` need
 * `agent_message`: the first shows the agents that can be messaged, the
 * second sends one a message and waits for its reply. Sends that would
 * deadlock (to itself, or to an agent already waiting further up the call
 * chain) or exceed `agents.max_call_depth` are refused. A sender that gives up
 * (its tool timeout) while the target waits for an approval is told so. `agent_spawn` (needs
 * `agent_spawn`) creates a child of the caller, whose capabilities must be a
 * subset of the caller's; `agent_kill` (needs `agent_kill`) kills one of the
 * caller's descendants, never another agent.
 *
 * @module
 */
import { z } from "zod";
import { TalonError } from "../../errors.ts";
import { type AgentView, Capability, type TurnResult } from "../../types.ts";
import { defineTool, type Tool } from "../define.ts";
import type { AgentDirectory, PendingApprovalLookup } from "../ports.ts";

/** What the agent tools need. */
export interface AgentToolsDeps {
  /** The agents; a function so the kernel can hand it over after construction. */
  directory: AgentDirectory | (() => AgentDirectory);
  /** `agents.max_call_depth`: the longest chain of agents waiting on each other. */
  maxCallDepth: number;
  /** Lets `agent_send` say, when it gives up, that its target waits for an approval. */
  approvals?: PendingApprovalLookup;
}

/** How many agents `agent_list` reads at most. */
const LIST_LIMIT = 500;

/** Creates `agent_list`, `agent_send`, `agent_spawn` and `agent_kill`. */
export function agentTools(deps: AgentToolsDeps): Tool[] {
  const directory = typeof deps.directory === "function"
    ? deps.directory
    : () => deps.directory as AgentDirectory;
  const agentList = defineTool({
    name: "agent_list",
    description:
      "Lists the other agents in this Talon (name, description, state) that agent_send can message.",
    input: z.strictObject({}),
    capabilities: ["agent_message"],
    risk: "low",
    handler: (_args, ctx) => {
      const agents = directory().list({ limit: LIST_LIMIT })
        .filter((a) => a.state !== "killed")
        .map((a) => ({
          name: a.name,
          description: a.description,
          state: a.state,
          ...(a.id === ctx.agent.id ? { self: true } : {}),
        }));
      return JSON.stringify({ agents });
    },
  });
  const agentSend = defineTool({
    name: "agent_send",
    description:
      "Sends a message to another agent (by name or id) and waits for its reply, which is returned as the result.",
    input: z.strictObject({
      agent: z.string().min(1).max(100).describe("name or id of the agent to message"),
      message: z.string().min(1).max(200_000).describe("the message to send"),
    }),
    capabilities: ["agent_message"],
    risk: "medium",
    outsideContent: ({ agent }) => ({ kind: "agent", label: `the reply of agent "${agent}"` }),
    handler: async ({ agent, message }, ctx) => {
      const dir = directory();
      const target = dir.get(agent);
      if (target.id === ctx.agent.id) {
        throw new Error("an agent cannot send a message to itself");
      }
      if (ctx.chain.includes(target.id)) {
        throw new Error(`would deadlock: ${target.name} is waiting on this call`);
      }
      if (ctx.chain.length >= deps.maxCallDepth) {
        throw new Error(
          `inter-agent call depth limit ${deps.maxCallDepth} reached; answer without messaging another agent`,
        );
      }
      const { turn_id, result } = await dir.send(target.id, message, { chain: ctx.chain });
      let end: TurnResult;
      try {
        end = await untilAborted(result, ctx.signal);
      } catch (cause) {
        const waiting = deps.approvals?.pendingForTurn(turn_id);
        if (!waiting) throw cause;
        throw new TalonError(
          "interrupted",
          `agent "${target.name}" is waiting for a person to approve its call to "${waiting.tool}" (approval ${waiting.id}, expires ${waiting.expires_at}); it has not answered yet and will finish its turn once the request is decided`,
          { cause },
        );
      }
      if (end.status === "completed") return end.reply;
      throw new Error(
        `agent "${target.name}" did not answer: its turn ${end.status}${
          end.error ? ` (${end.error.code}: ${end.error.message})` : ""
        }`,
      );
    },
  });
  return [agentList, agentSend, agentSpawnTool(directory), agentKillTool(directory)];
}

function agentSpawnTool(directory: () => AgentDirectory): Tool {
  return defineTool({
    name: "agent_spawn",
    description:
      "Creates a new agent as your child, with at most your capabilities, and returns its id and name. Message it with agent_send.",
    input: z.strictObject({
      name: z.string().min(1).max(64).describe("slug: lowercase letters, digits, '-' or '_'"),
      description: z.string().max(2000).optional(),
      system_prompt: z.string().min(1).max(100_000).optional(),
      capabilities: z.array(Capability).max(64).default([])
        .describe("a subset of your own capabilities"),
      tools: z.array(z.string().min(1).max(64)).max(256).optional()
        .describe("tools it may call; the default set when omitted"),
      model: z.string().min(1).max(300).optional().describe("your model when omitted"),
    }),
    capabilities: ["agent_spawn"],
    risk: "medium",
    taintSink: ({ capabilities }) =>
      capabilities.length > 0
        ? `agent_spawn grants capabilities (${capabilities.join(", ")})`
        : undefined,
    handler: (args, ctx) => {
      const parent = ctx.agent;
      const child = directory().spawn({
        name: args.name,
        ...(args.description === undefined ? {} : { description: args.description }),
        ...(args.system_prompt === undefined ? {} : { system_prompt: args.system_prompt }),
        capabilities: args.capabilities,
        ...(args.tools === undefined ? {} : { tools: args.tools }),
        provider: parent.provider,
        model: args.model ?? parent.model,
      }, { parent: parent.id, actor: `agent:${parent.id}` });
      return JSON.stringify({
        id: child.id,
        name: child.name,
        state: child.state,
        capabilities: child.capabilities,
      });
    },
  });
}

function agentKillTool(directory: () => AgentDirectory): Tool {
  return defineTool({
    name: "agent_kill",
    description:
      "Kills an agent you spawned (directly or through your children), and its own children.",
    input: z.strictObject({
      agent: z.string().min(1).max(100).describe("name or id of the agent to kill"),
      reason: z.string().max(500).optional(),
    }),
    capabilities: ["agent_kill"],
    risk: "medium",
    handler: ({ agent, reason }, ctx) => {
      const dir = directory();
      const target = dir.get(agent);
      if (!isDescendant(dir, target, ctx.agent.id)) {
        throw new Error(
          `agent "${target.name}" was not spawned by this agent or its children; agent_kill only kills your own descendants`,
        );
      }
      if (target.state === "killed") return `agent "${target.name}" was already killed`;
      const killed = dir.kill(target.id, {
        reason: reason ?? `killed by ${ctx.agent.name}`,
        actor: `agent:${ctx.agent.id}`,
      });
      return `killed agent "${killed.name}" and its descendants`;
    },
  });
}

/** True when `ancestorId` is `agent`'s parent, grandparent, … */
function isDescendant(dir: AgentDirectory, agent: AgentView, ancestorId: string): boolean {
  const seen = new Set<string>();
  let parentId = agent.parent_id;
  while (parentId !== null && !seen.has(parentId)) {
    if (parentId === ancestorId) return true;
    seen.add(parentId);
    parentId = dir.get(parentId).parent_id;
  }
  return false;
}

/** Settles with `promise`, or rejects with the signal's reason when it aborts first. */
function untilAborted(promise: Promise<TurnResult>, signal: AbortSignal): Promise<TurnResult> {
  if (signal.aborted) return Promise.reject(signal.reason);
  let onAbort!: () => void;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
  });
  return Promise.race([promise, aborted]).finally(() =>
    signal.removeEventListener("abort", onAbort)
  );
}
