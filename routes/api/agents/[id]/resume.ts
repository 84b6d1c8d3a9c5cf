/** `POST /api/agents/{id}/resume`: Paused → Running. */
import { actorOf, pathParam, route, type RouteHandlers } from "../../../../http/define.ts";
import { AgentView } from "../../../../kernel/types.ts";

export const handler: RouteHandlers = {
  POST: route(
    "operator",
    (c) => c.json(c.get("kernel").agents.resume(pathParam(c, "id"), { actor: actorOf(c) })),
    {
      json: AgentView,
    },
  ),
};
