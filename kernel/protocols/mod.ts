/**
 * Protocol surfaces over the kernel: the OpenAI-compatible chat mappings,
 * the MCP client (servers' tools behind the tool gate) and Talon's own MCP
 * server (A2A joins later).
 *
 * @module
 */
export {
  assertCompleted,
  chunkOf,
  type CompletionMeta,
  completionOf,
  conversationOf,
  modelListOf,
} from "./openai_compat.ts";
export { McpClients, type McpClientsDeps, type McpToolSink } from "./mcp_client.ts";
export { mcpToolName, renderResult, scanMcpTools } from "./mcp_tools.ts";
export { handleMcpRequest, type McpCaller, relayMcpStdio, serveMcpStdio } from "./mcp_host.ts";
