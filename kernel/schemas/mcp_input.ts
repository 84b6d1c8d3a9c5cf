/**
 * What configures an MCP server — a `[mcp_servers.<name>]` entry, the body of
 * `POST /api/mcp/servers`, `talon mcp-server add` — written with `zod/mini`
 * (see ./mini.ts) so the dashboard's add form validates in the browser with
 * the API's own schema. kernel/schemas/mcp.ts re-exports it.
 *
 * @module
 */
import * as z from "zod/mini";
import "./mini.ts";

/** Names of MCP servers: they become part of tool names (`mcp_<server>_<tool>`). */
export const MCP_SERVER_NAME_PATTERN = /^[a-z][a-z0-9_]{0,23}$/;

/** A server name. */
export const McpServerName = z.string().check(z.regex(
  MCP_SERVER_NAME_PATTERN,
  "must start with a lowercase letter and use only lowercase letters, digits and '_', at most 24 characters",
));

/** An environment variable name. */
export const EnvName = z.string().check(z.regex(
  /^[A-Za-z_][A-Za-z0-9_]*$/,
  "must be an environment variable name",
));
/** An HTTP header name. */
export const HeaderName = z.string().check(
  z.regex(/^[A-Za-z0-9-]{1,64}$/, "must be an HTTP header name"),
);

const Common = {
  /** Seconds a call may take before the model gets a timeout error. */
  timeout_s: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(3600)), 60),
  /** Only these of the server's tools (by their original names) are offered. */
  tools: z.optional(
    z.array(z.string().check(z.minLength(1), z.maxLength(128))).check(z.maxLength(256)),
  ),
};

const STDIO = {
  transport: z.literal("stdio"),
  command: z.string().check(z.minLength(1), z.maxLength(1000)),
  args: z._default(z.array(z.string().check(z.maxLength(4000))).check(z.maxLength(64)), []),
  /** Names of the variables passed through; nothing else is inherited. */
  env: z._default(z.array(EnvName).check(z.maxLength(64)), []),
  cwd: z.optional(z.string().check(z.minLength(1), z.maxLength(1000))),
  ...Common,
};

const HTTP = {
  transport: z.literal("http"),
  url: z.url({ protocol: /^https?$/ }).check(z.maxLength(2000)),
  /** Header name → environment variable holding its value. */
  headers_env: z._default(z.record(HeaderName, EnvName), {}),
  ...Common,
};

/** A stdio server: a command run with an argv only and a cleared environment. */
export const McpStdioServer = z.strictObject(STDIO);

/** A streamable HTTP server. */
export const McpHttpServer = z.strictObject(HTTP);

/** One `[mcp_servers.<name>]` entry. */
export const McpServerConfig = z.discriminatedUnion("transport", [McpStdioServer, McpHttpServer]);
/** A server's configuration. */
export type McpServerConfig = z.infer<typeof McpServerConfig>;

/** Body of `POST /api/mcp/servers`. */
export const McpServerAddBody = z.discriminatedUnion("transport", [
  z.strictObject({ name: McpServerName, ...STDIO }),
  z.strictObject({ name: McpServerName, ...HTTP }),
]);
/** A server to add. */
export type McpServerAddBody = z.input<typeof McpServerAddBody>;
