/** `POST /api/agents/{id}/stop`: aborts the turn in flight, keeping its partial answer. */
import { actorOf, pathParam, route, type RouteHandlers } from "../../../../http/define.ts";
import { StopResult } from "../../../../kernel/types.ts";

export const handler: RouteHandlers = {
  POST: route(
    "operator",
    async (c) =>
      c.json(await c.get("kernel").agents.stop(pathParam(c, "id"), { actor: actorOf(c) })),
    { json: StopResult },
  ),
};
