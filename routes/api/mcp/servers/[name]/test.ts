/**
 * `POST /api/mcp/servers/{name}/test`: start the server, list its tools and
 * stop it unless an agent uses it (admin: it runs the server's command).
 * A server that cannot start answers 502 `mcp_unavailable` saying why.
 */
import { pathParam, route, type RouteHandlers } from "../../../../../http/define.ts";
import { McpToolList } from "../../../../../kernel/types.ts";

export const handler: RouteHandlers = {
  POST: route("admin", async (c) => {
    const server = pathParam(c, "name");
    const tools = await c.get("kernel").mcp.test(server);
    return c.json({ server, tools } satisfies McpToolList);
  }, { json: McpToolList }),
};
