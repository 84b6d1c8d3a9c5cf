/**
 * What the agent loop needs from tools: the definitions an agent may call and
 * a way to run one call. The tool registry implements it; the loop never
 * knows which tools exist.
 *
 * @module
 */
import type { ToolDefinition } from "../llm/mod.ts";
import type { TurnTaint } from "../security/mod.ts";
import type { AgentView, ToolCall } from "../types.ts";

/** The outcome of one tool call, as the model sees it. */
export interface ToolOutcome {
  ok: boolean;
  output: string;
  /** Why it failed, e.g. `capability_denied`, `timeout`, `invalid_args`. */
  error_code?: string;
}

/** The calling side of one tool call. */
export interface ToolCallContext {
  agent: AgentView;
  turnId: string;
  signal: AbortSignal;
  /**
   * Ids of the agents in the inter-agent call chain that led here, outermost
   * first, ending with `agent.id`; `[agent.id]` for a turn a user started.
   */
  chain: readonly string[];
  /**
   * The turn's taint: outside content the turn took in. Calls to tools that
   * bring in outside content add to it; high-risk sinks in a tainted turn
   * wait for approval. Without it the call is treated as untainted.
   */
  taint?: TurnTaint;
}

/** Runs tool calls for the loop. */
export interface ToolExecutor {
  /**
   * Readies what the agent's tools need before the model is offered them
   * (connects its MCP servers); never throws for an unavailable server.
   */
  prepareTools?(agent: AgentView, signal: AbortSignal): Promise<void>;
  /** Definitions of the tools this agent may call. */
  definitions(agent: AgentView): ToolDefinition[];
  /** Runs one call; never throws for tool failures. */
  execute(call: ToolCall, ctx: ToolCallContext): Promise<ToolOutcome>;
}

/** The executor used while no tool is installed: every call is an error result. */
export const NO_TOOLS: ToolExecutor = {
  definitions: () => [],
  execute: (call) =>
    Promise.resolve({
      ok: false,
      output: `tool "${call.name}" is not available to this agent`,
      error_code: "unknown_tool",
    }),
};
