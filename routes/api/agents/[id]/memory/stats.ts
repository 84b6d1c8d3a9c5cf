/** `GET /api/agents/{id}/memory/stats`: the agent's memory figures and how recall works. */
import { pathParam, route, type RouteHandlers } from "../../../../../http/define.ts";
import { MemoryStats } from "../../../../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route("viewer", (c) => {
    return c.json(c.get("kernel").memoryStats(pathParam(c, "id")));
  }, { json: MemoryStats }),
};
