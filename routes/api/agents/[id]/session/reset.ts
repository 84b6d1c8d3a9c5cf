/** `POST /api/agents/{id}/session/reset`: clear the session (refused while a turn runs). */
import { actorOf, pathParam, route, type RouteHandlers } from "../../../../../http/define.ts";
import { SessionReset } from "../../../../../kernel/types.ts";

export const handler: RouteHandlers = {
  POST: route("operator", (c) => {
    const actor = actorOf(c);
    return c.json(c.get("kernel").agents.resetSession(pathParam(c, "id"), { actor }));
  }, { json: SessionReset }),
};
