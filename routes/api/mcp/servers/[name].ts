/** `GET /api/mcp/servers/{name}` (viewer), `DELETE /api/mcp/servers/{name}`: remove an entry added at run time (admin). */
import { actorOf, pathParam, route, type RouteHandlers } from "../../../../http/define.ts";
import { McpServerRemoved, McpServerView } from "../../../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route("viewer", (c) => c.json(c.get("kernel").mcp.get(pathParam(c, "name"))), {
    json: McpServerView,
  }),
  DELETE: route("admin", async (c) => {
    const name = pathParam(c, "name");
    await c.get("kernel").mcp.remove(name, { actor: actorOf(c) });
    return c.json({ removed: name } satisfies McpServerRemoved);
  }, { json: McpServerRemoved }),
};
