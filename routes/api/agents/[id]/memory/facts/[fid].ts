/** `DELETE /api/agents/{id}/memory/facts/{fid}`: forget one of the agent's own facts. */
import { actorOf, pathParam, route, type RouteHandlers } from "../../../../../../http/define.ts";
import { MemoryDeleted } from "../../../../../../kernel/types.ts";

export const handler: RouteHandlers = {
  DELETE: route("operator", (c) => {
    const kernel = c.get("kernel");
    const agent = kernel.agents.get(pathParam(c, "id"));
    kernel.memory.forget(agent.id, pathParam(c, "fid"), { actor: actorOf(c) });
    return c.json({ deleted: true } satisfies MemoryDeleted);
  }, { json: MemoryDeleted }),
};
