/**
 * Tools: the executor interface the agent loop calls, tool definitions, the
 * tool registry with its capability gate, and the built-in tools.
 *
 * @module
 */
export { NO_TOOLS, type ToolCallContext, type ToolExecutor, type ToolOutcome } from "./executor.ts";
export {
  defineTool,
  isCapabilityFree,
  type OutsideSource,
  requiredCapabilities,
  type SinkContext,
  type Tool,
  TOOL_NAME_PATTERN,
  type ToolRisk,
  type ToolRunContext,
  type ToolSpec,
} from "./define.ts";
export type {
  AgentDirectory,
  AgentMemory,
  AgentSchedules,
  ApprovalOutcome,
  AuditRecord,
  AuditSink,
  GatedCall,
  MemoryRecord,
  PendingApprovalLookup,
  ToolApprovals,
} from "./ports.ts";
export {
  APPROVALS_UNAVAILABLE,
  auditArgs,
  ToolRegistry,
  type ToolRegistryOptions,
  truncateOutput,
} from "./registry.ts";
export {
  agentTools,
  type AgentToolsDeps,
  applyPatchTool,
  BROWSER_TOOL_NAMES,
  browserDenoFlags,
  type BrowserSession,
  BrowserSessions,
  type BrowserSessionsOptions,
  browserTools,
  type BrowserToolsDeps,
  type BuiltinTool,
  builtinTools,
  type BuiltinToolsDeps,
  clipArgs,
  dataToNewHost,
  fileTools,
  type FileToolsDeps,
  isTimeZone,
  MEMORY_TOOL_NAMES,
  memoryTools,
  netCapability,
  requireNetCapability,
  SCHEDULE_TOOL_NAMES,
  scheduleTools,
  shellEnvironment,
  type ShellExecDeps,
  shellExecTool,
  systemTimeTool,
  type VideoClipDeps,
  videoClipTool,
  webFetchTool,
  type WebSearchDeps,
  webSearchTool,
  workspaceJail,
} from "./builtins/mod.ts";
