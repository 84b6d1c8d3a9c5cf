/**
 * Protocol surfaces over the kernel: the OpenAI-compatible chat mappings,
 * the MCP client (servers' tools behind the tool gate) and Talon's own MCP
 * server, and A2A: the client of the configured peers with its tools, and the
 * server's cards and per-agent JSON-RPC endpoints.
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
export { A2aPeers, type A2aPeersDeps, cardUrlOf } from "./a2a_client.ts";
export { a2aTools } from "./a2a_tools.ts";
export { type A2aCaller, handleA2aRequest, offeredAgentCard, talonAgentCard } from "./a2a_host.ts";
