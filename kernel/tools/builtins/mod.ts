/**
 * The built-in tools, created together for the kernel's registry.
 *
 * @module
 */
import type { Tool } from "../define.ts";
import { agentTools, type AgentToolsDeps } from "./agents.ts";
import { applyPatchTool } from "./apply_patch.ts";
import { browserTools, type BrowserToolsDeps } from "./browser_tools.ts";
import { fileTools, type FileToolsDeps } from "./file_tools.ts";
import { MEMORY_TOOL_NAMES, memoryTools } from "./memory_tools.ts";
import { type ShellExecDeps, shellExecTool } from "./shell_exec.ts";
import { systemTimeTool } from "./system_time.ts";
import type { AgentMemory, AgentSchedules } from "../ports.ts";
import { SCHEDULE_TOOL_NAMES, scheduleTools } from "./schedule_tools.ts";
import { webFetchTool } from "./web_fetch.ts";
import { type WebSearchDeps, webSearchTool } from "./web_search.ts";
import { type VideoClipDeps, videoClipTool } from "./video_clip.ts";

export { agentTools, type AgentToolsDeps } from "./agents.ts";
export { applyPatchTool } from "./apply_patch.ts";
export { BROWSER_TOOL_NAMES, browserTools, type BrowserToolsDeps } from "./browser_tools.ts";
export {
  browserDenoFlags,
  type BrowserSession,
  BrowserSessions,
  type BrowserSessionsOptions,
} from "./browser_session.ts";
export { fileTools, type FileToolsDeps, workspaceJail } from "./file_tools.ts";
export { MEMORY_TOOL_NAMES, memoryTools } from "./memory_tools.ts";
export { SCHEDULE_TOOL_NAMES, scheduleTools } from "./schedule_tools.ts";
export { shellEnvironment, type ShellExecDeps, shellExecTool } from "./shell_exec.ts";
export { isTimeZone, localIso, systemTimeTool } from "./system_time.ts";
export { dataToNewHost, netCapability, requireNetCapability, webFetchTool } from "./web_fetch.ts";
export { type WebSearchDeps, webSearchTool } from "./web_search.ts";
export { clipArgs, type VideoClipDeps, videoClipTool } from "./video_clip.ts";

/** What every built-in tool needs together. */
export interface BuiltinToolsDeps extends AgentToolsDeps {
  files: FileToolsDeps;
  /** The SSRF guard, its config, and the environment (for the search API key). */
  web: WebSearchDeps;
  shell: ShellExecDeps;
  browser: BrowserToolsDeps;
  video: VideoClipDeps;
  memory: AgentMemory;
  schedules: AgentSchedules;
}

/** One built-in tool and whether it joins the default set of agents holding its capabilities. */
export interface BuiltinTool {
  tool: Tool;
  defaultWhenHeld: boolean;
}

/** Every built-in tool. */
export function builtinTools(deps: BuiltinToolsDeps): BuiltinTool[] {
  return [
    systemTimeTool(),
    ...agentTools(deps),
    ...fileTools(deps.files),
    applyPatchTool(deps.files),
    webFetchTool(deps.web),
    webSearchTool(deps.web),
    shellExecTool(deps.shell),
    ...browserTools(deps.browser),
    videoClipTool(deps.video),
    ...memoryTools(deps.memory),
    ...scheduleTools(deps.schedules),
  ].map((tool) => ({
    tool,
    defaultWhenHeld: MEMORY_TOOL_NAMES.includes(tool.name) ||
      SCHEDULE_TOOL_NAMES.includes(tool.name),
  }));
}
