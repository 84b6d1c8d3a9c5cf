/**
 * The built-in tools, created together for the kernel's registry.
 *
 * @module
 */
import type { Tool } from "../define.ts";
import { agentTools, type AgentToolsDeps } from "./agents.ts";
import { systemTimeTool } from "./system_time.ts";

export { agentTools, type AgentToolsDeps } from "./agents.ts";
export { isTimeZone, localIso, systemTimeTool } from "./system_time.ts";

/** Every built-in tool: `system_time`, `agent_list`, `agent_send`. */
export function builtinTools(deps: AgentToolsDeps): Tool[] {
  return [systemTimeTool(), ...agentTools(deps)];
}
