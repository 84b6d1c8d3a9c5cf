/**
 * Protocol surfaces over the kernel: for now the OpenAI-compatible chat
 * mappings (MCP and A2A join later).
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
