/**
 * MCP client configuration and how the API shows servers and their tools:
 * `[mcp_servers.<name>]` in config, or entries added at run time. The
 * configuration schemas live in ./mcp_input.ts (browser-safe, `zod/mini`).
 *
 * @module
 */
import { z } from "zod";

export {
  EnvName,
  HeaderName,
  MCP_SERVER_NAME_PATTERN,
  McpHttpServer,
  McpServerAddBody,
  McpServerConfig,
  McpServerName,
  McpStdioServer,
} from "./mcp_input.ts";
import { McpServerConfig } from "./mcp_input.ts";

/** Where a server's entry comes from. */
export const McpServerSource = z.enum(["config", "api"]);

/** Connection state of a server. */
export const McpServerStatus = z.enum([
  "idle",
  "connecting",
  "connected",
  "failed",
  "flagged",
]);
/** A connection state. */
export type McpServerStatus = z.infer<typeof McpServerStatus>;

/** One tool of a server as Talon offers it. */
export const McpToolView = z.object({
  /** The name agents call: `mcp_<server>_<tool>`. */
  name: z.string(),
  /** The server's own name for it. */
  original: z.string(),
  description: z.string(),
  parameters: z.record(z.string(), z.unknown()),
});
/** An MCP tool. */
export type McpToolView = z.infer<typeof McpToolView>;

/** A server as the API shows it. */
export const McpServerView = z.object({
  name: z.string(),
  source: McpServerSource,
  config: McpServerConfig,
  status: McpServerStatus,
  /** The last connection error, or why the server is flagged. */
  error: z.string().nullable(),
  /** Injection patterns found in its tool descriptions, until an admin allows it. */
  flagged: z.array(z.string()),
  allowed: z.boolean(),
  tools: z.array(McpToolView),
});
/** An MCP server. */
export type McpServerView = z.infer<typeof McpServerView>;

/** `GET /api/mcp/servers`. */
export const McpServerList = z.object({ servers: z.array(McpServerView) });
/** Every configured server. */
export type McpServerList = z.infer<typeof McpServerList>;

/** `GET /api/mcp/servers/{name}/tools` and `POST …/test`. */
export const McpToolList = z.object({ server: z.string(), tools: z.array(McpToolView) });
/** A server's tools. */
export type McpToolList = z.infer<typeof McpToolList>;

/** `DELETE /api/mcp/servers/{name}`. */
export const McpServerRemoved = z.object({ removed: z.string() });
/** Which server was removed. */
export type McpServerRemoved = z.infer<typeof McpServerRemoved>;
