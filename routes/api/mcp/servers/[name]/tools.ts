/** `GET /api/mcp/servers/{name}/tools`: the server's tools as agents see them, connecting first (viewer). */
import { pathParam, route, type RouteHandlers } from "../../../../../http/define.ts";
import { McpToolList } from "../../../../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route("viewer", async (c) => {
    const server = pathParam(c, "name");
    const tools = await c.get("kernel").mcp.tools(server);
    return c.json({ server, tools } satisfies McpToolList);
  }, { json: McpToolList }),
};
