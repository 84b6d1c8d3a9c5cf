/**
 * Tools: the executor interface the agent loop calls, the tool registry and
 * the built-in tools.
 *
 * @module
 */
export { NO_TOOLS, type ToolCallContext, type ToolExecutor, type ToolOutcome } from "./executor.ts";
