/**
 * MCP client configuration and how the API shows servers and their tools:
 * `[mcp_servers.<name>]` in config, or entries added at run time.
 *
 * @module
 */
import { z } from "zod";

/** Names of MCP servers: they become part of tool names (`mcp_<server>_<tool>`). */
export const MCP_SERVER_NAME_PATTERN = /^[a-z][a-z0-9_]{0,23}$/;

/** A server name. */
export const McpServerName = z.string().regex(
  MCP_SERVER_NAME_PATTERN,
  "must start with a lowercase letter and use only lowercase letters, digits and '_', at most 24 characters",
);

const EnvName = z.string().regex(
  /^[A-Za-z_][A-Za-z0-9_]*$/,
  "must be an environment variable name",
);
const HeaderName = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, "must be an HTTP header name");

const Common = {
  /** Seconds a call may take before the model gets a timeout error. */
  timeout_s: z.number().int().min(1).max(3600).default(60),
  /** Only these of the server's tools (by their original names) are offered. */
  tools: z.array(z.string().min(1).max(128)).max(256).optional(),
};

/** A stdio server: a command run with an argv only and a cleared environment. */
export const McpStdioServer = z.strictObject({
  transport: z.literal("stdio"),
  command: z.string().min(1).max(1000),
  args: z.array(z.string().max(4000)).max(64).default([]),
  /** Names of the variables passed through; nothing else is inherited. */
  env: z.array(EnvName).max(64).default([]),
  cwd: z.string().min(1).max(1000).optional(),
  ...Common,
});

/** A streamable HTTP server. */
export const McpHttpServer = z.strictObject({
  transport: z.literal("http"),
  url: z.url({ protocol: /^https?$/ }).max(2000),
  /** Header name → environment variable holding its value. */
  headers_env: z.record(HeaderName, EnvName).default({}),
  ...Common,
});

/** One `[mcp_servers.<name>]` entry. */
export const McpServerConfig = z.discriminatedUnion("transport", [McpStdioServer, McpHttpServer]);
/** A server's configuration. */
export type McpServerConfig = z.infer<typeof McpServerConfig>;

/** Body of `POST /api/mcp/servers`. */
export const McpServerAddBody = z.discriminatedUnion("transport", [
  McpStdioServer.extend({ name: McpServerName }),
  McpHttpServer.extend({ name: McpServerName }),
]);
/** A server to add. */
export type McpServerAddBody = z.input<typeof McpServerAddBody>;

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
