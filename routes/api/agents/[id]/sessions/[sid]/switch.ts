/**
 * `POST /api/agents/{id}/sessions/{sid}/switch`: make the session current,
 * so the agent's next turn continues it (refused while a turn runs or waits).
 */
import { actorOf, pathParam, route, type RouteHandlers } from "../../../../../../http/define.ts";
import { SessionView } from "../../../../../../kernel/types.ts";
import { sessionParam } from "../../../../../../http/session_param.ts";

export const handler: RouteHandlers = {
  POST: route("operator", (c) => {
    const sid = sessionParam(c);
    const actor = actorOf(c);
    return c.json(c.get("kernel").sessions.switchTo(pathParam(c, "id"), sid, { actor }));
  }, { json: SessionView }),
};
