/**
 * The built-in tools, created together for the kernel's registry.
 *
 * @module
 */
import type { Tool } from "../define.ts";
import { agentTools, type AgentToolsDeps } from "./agents.ts";
import { applyPatchTool } from "./apply_patch.ts";
import { fileTools, type FileToolsDeps } from "./file_tools.ts";
import { systemTimeTool } from "./system_time.ts";

export { agentTools, type AgentToolsDeps } from "./agents.ts";
export { applyPatchTool } from "./apply_patch.ts";
export { fileTools, type FileToolsDeps, workspaceJail } from "./file_tools.ts";
export { isTimeZone, localIso, systemTimeTool } from "./system_time.ts";

/** What every built-in tool needs together. */
export interface BuiltinToolsDeps extends AgentToolsDeps {
  files: FileToolsDeps;
}

/** Every built-in tool. */
export function builtinTools(deps: BuiltinToolsDeps): Tool[] {
  return [
    systemTimeTool(),
    ...agentTools(deps),
    ...fileTools(deps.files),
    applyPatchTool(deps.files),
  ];
}
