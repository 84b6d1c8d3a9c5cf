/** `POST /api/mcp/servers/{name}/allow`: offer a flagged server's tools after all (admin, audited). */
import { actorOf, pathParam, route, type RouteHandlers } from "../../../../../http/define.ts";
import { McpServerView } from "../../../../../kernel/types.ts";

export const handler: RouteHandlers = {
  POST: route("admin", (c) => {
    const name = pathParam(c, "name");
    return c.json(c.get("kernel").mcp.allow(name, { actor: actorOf(c) }));
  }, { json: McpServerView }),
};
