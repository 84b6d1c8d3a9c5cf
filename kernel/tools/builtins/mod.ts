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
import { webFetchTool } from "./web_fetch.ts";
import { type WebSearchDeps, webSearchTool } from "./web_search.ts";

export { agentTools, type AgentToolsDeps } from "./agents.ts";
export { applyPatchTool } from "./apply_patch.ts";
export { fileTools, type FileToolsDeps, workspaceJail } from "./file_tools.ts";
export { isTimeZone, localIso, systemTimeTool } from "./system_time.ts";
export { netCapability, requireNetCapability, webFetchTool } from "./web_fetch.ts";
export { type WebSearchDeps, webSearchTool } from "./web_search.ts";

/** What every built-in tool needs together. */
export interface BuiltinToolsDeps extends AgentToolsDeps {
  files: FileToolsDeps;
  /** The SSRF guard, its config, and the environment (for the search API key). */
  web: WebSearchDeps;
}

/** Every built-in tool. */
export function builtinTools(deps: BuiltinToolsDeps): Tool[] {
  return [
    systemTimeTool(),
    ...agentTools(deps),
    ...fileTools(deps.files),
    applyPatchTool(deps.files),
    webFetchTool(deps.web),
    webSearchTool(deps.web),
  ];
}
