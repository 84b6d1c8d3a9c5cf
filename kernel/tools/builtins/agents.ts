/**
 * The agent-to-agent tools, both needing `agent_message`: `agent_list` shows
 * the agents that can be messaged, `agent_send` sends one a message and
 * waits for its reply. Sends that would deadlock (to itself, or to an agent
 * already waiting further up the call chain) or exceed
 * `agents.max_call_depth` are refused.
 *
 * @module
 */
import { z } from "zod";
import type { TurnResult } from "../../types.ts";
import { defineTool, type Tool } from "../define.ts";
import type { AgentDirectory } from "../ports.ts";

/** What the agent tools need. */
export interface AgentToolsDeps {
  /** The agents; a function so the kernel can hand it over after construction. */
  directory: AgentDirectory | (() => AgentDirectory);
  /** `agents.max_call_depth`: the longest chain of agents waiting on each other. */
  maxCallDepth: number;
}

/** How many agents `agent_list` reads at most. */
const LIST_LIMIT = 500;

/** Creates `agent_list` and `agent_send`. */
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
      const { result } = dir.send(target.id, message, { chain: ctx.chain });
      const end = await untilAborted(result, ctx.signal);
      if (end.status === "completed") return end.reply;
      throw new Error(
        `agent "${target.name}" did not answer: its turn ${end.status}${
          end.error ? ` (${end.error.code}: ${end.error.message})` : ""
        }`,
      );
    },
  });
  return [agentList, agentSend];
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
