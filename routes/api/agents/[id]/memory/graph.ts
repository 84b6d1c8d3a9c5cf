/** `GET /api/agents/{id}/memory/graph`: the agent's knowledge graph, laid out for drawing. */
import { pathParam, route, type RouteHandlers } from "../../../../../http/define.ts";
import { GraphView } from "../../../../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route("viewer", (c) => {
    const kernel = c.get("kernel");
    const agent = kernel.agents.get(pathParam(c, "id"));
    return c.json(kernel.knowledge.graph(agent.id));
  }, { json: GraphView }),
};
