/**
 * `GET /api/mcp/servers`: configured MCP servers, their status and tools
 * (viewer). `POST /api/mcp/servers`: add one (admin, since a stdio entry
 * runs a command); bad fields are named in `fields`.
 */
import { readBody } from "../../../../http/body.ts";
import { actorOf, route, type RouteHandlers } from "../../../../http/define.ts";
import { McpServerAddBody, McpServerList, McpServerView } from "../../../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route(
    "viewer",
    (c) => c.json({ servers: c.get("kernel").mcp.list() } satisfies McpServerList),
    { json: McpServerList },
  ),
  POST: route("admin", async (c) => {
    const body = await readBody(c, McpServerAddBody);
    return c.json(c.get("kernel").mcp.add(body, { actor: actorOf(c) }), 201);
  }, { json: McpServerView }),
};
