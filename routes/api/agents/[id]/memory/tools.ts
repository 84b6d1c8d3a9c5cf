/** `GET /api/agents/{id}/memory/tools?tool=&limit=`: the agent's tool history (procedural memory). */
import { pathParam, route, type RouteHandlers } from "../../../../../http/define.ts";
import { ToolHistory } from "../../../../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route("viewer", (c) => {
    const kernel = c.get("kernel");
    const agent = kernel.agents.get(pathParam(c, "id"));
    return c.json(kernel.toolHistory(agent.id, c.req.query()));
  }, { json: ToolHistory }),
};
