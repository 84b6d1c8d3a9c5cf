/**
 * One MCP server's state inside {@link McpClients}: its connection status,
 * backoff and registered tools, the views the API shows, and registering its
 * tools in the tool registry.
 *
 * @module
 */
import type { Logger } from "../log.ts";
import type { AuditSink, Tool } from "../tools/mod.ts";
import type { McpServerConfig, McpServerStatus, McpServerView, McpToolView } from "../types.ts";
import type { McpToolSink } from "./mcp_client.ts";
import type { McpSession, RawMcpTool } from "./mcp_session.ts";
import { mcpTool, type McpToolBinding, mcpToolName } from "./mcp_tools.ts";

/** The longest wait between reconnection attempts. */
const MAX_BACKOFF_MS = 30_000;

/** A server Talon knows, connected or not. */
export interface ServerState {
  name: string;
  source: "config" | "api";
  config: McpServerConfig;
  status: McpServerStatus;
  error: string | null;
  flagged: string[];
  session?: McpSession;
  connecting?: Promise<McpSession>;
  failures: number;
  retryAt: number;
  /** Talon name → tool, as registered. */
  tools: Map<string, { original: string; tool: Tool }>;
}

/** What registering a server's tools needs. */
export interface ToolRegistration {
  sink: McpToolSink;
  audit: AuditSink;
  log: Logger;
  /** Calls the server's tool by its original name. */
  call: McpToolBinding["call"];
}

/**
 * Registers the server's tools as `mcp_<server>_<tool>` (replacing those it
 * had); a name that is unusable or collides with another tool is refused
 * and logged.
 */
export function registerServerTools(
  state: ServerState,
  tools: readonly RawMcpTool[],
  deps: ToolRegistration,
): void {
  unregisterServerTools(state, deps.sink);
  const taken = new Set<string>();
  for (const raw of tools) {
    const name = mcpToolName(state.name, raw.name);
    if (!name || taken.has(name) || deps.sink.has(name)) {
      deps.log.warn("MCP tool refused: its name is unusable or collides", {
        server: state.name,
        tool: raw.name,
        as: name ?? null,
      });
      continue;
    }
    taken.add(name);
    const tool = mcpTool({
      server: state.name,
      tool: raw,
      name,
      timeoutMs: state.config.timeout_s * 1000,
      audit: deps.audit,
      call: deps.call,
    });
    deps.sink.register(tool);
    state.tools.set(name, { original: raw.name, tool });
  }
}

/** Takes the server's tools out of the tool registry. */
export function unregisterServerTools(state: ServerState, sink: McpToolSink): void {
  for (const name of state.tools.keys()) sink.unregister(name);
  state.tools.clear();
}

/** How long to wait before reconnecting after `failures` failures in a row. */
export function backoffMs(failures: number): number {
  return Math.min(MAX_BACKOFF_MS, 500 * 2 ** (failures - 1));
}

/** A server not started yet. */
export function newState(
  name: string,
  source: "config" | "api",
  config: McpServerConfig,
): ServerState {
  return {
    name,
    source,
    config,
    status: "idle",
    error: null,
    flagged: [],
    failures: 0,
    retryAt: 0,
    tools: new Map(),
  };
}

/** The server's registered tools, for the API. */
export function toolViews(state: ServerState): McpToolView[] {
  return [...state.tools.entries()].map(([name, { original, tool }]) => ({
    name,
    original,
    description: tool.description,
    parameters: tool.parameters,
  }));
}

/** The server as the API shows it. */
export function viewOf(state: ServerState, allowed: boolean): McpServerView {
  return {
    name: state.name,
    source: state.source,
    config: state.config,
    status: state.status,
    error: state.error,
    flagged: state.flagged,
    allowed,
    tools: state.status === "flagged" ? [] : toolViews(state),
  };
}

/** `promise`, or a rejection as soon as `signal` aborts. */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
