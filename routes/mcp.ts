/**
 * `POST /mcp`: Talon as an MCP server over streamable HTTP (the SDK's
 * web-standard transport, stateless), behind the API's auth; the caller's
 * role gates each tool; answers come as an SSE stream (202 for a lone
 * notification). GET and DELETE always answer 405, which MCP clients take
 * as "no sessions, no server-initiated stream".
 */
import { actorOf, route, type RouteContext, type RouteHandlers } from "../http/define.ts";
import { handleMcpRequest } from "../kernel/mod.ts";

function noStream(c: RouteContext): Response {
  return c.json(
    {
      jsonrpc: "2.0",
      id: null,
      error: {
        code: -32000,
        message: "method not allowed: this MCP server is stateless; POST /mcp",
      },
    },
    405,
    { allow: "POST" },
  );
}

export const handler: RouteHandlers = {
  POST: route("viewer", (c) => {
    const principal = c.get("principal")!;
    return handleMcpRequest(c.get("kernel"), c.req.raw, {
      role: principal.role,
      actor: actorOf(c),
    });
  }, { sse: true }),
  GET: route("viewer", noStream, { empty: true }),
  DELETE: route("viewer", noStream, { empty: true }),
};
