/** `GET /api/agents/{id}/sessions/{sid}`: one session; `PATCH` sets its label. */
import { readBody } from "../../../../../../http/body.ts";
import { actorOf, pathParam, route, type RouteHandlers } from "../../../../../../http/define.ts";
import { SessionPatch, SessionView } from "../../../../../../kernel/types.ts";
import { sessionParam } from "../../../../../../http/session_param.ts";

export const handler: RouteHandlers = {
  GET: route("viewer", (c) => {
    return c.json(c.get("kernel").sessions.get(pathParam(c, "id"), sessionParam(c)));
  }, { json: SessionView }),
  PATCH: route("operator", async (c) => {
    const sid = sessionParam(c);
    const patch = await readBody(c, SessionPatch);
    const sessions = c.get("kernel").sessions;
    return c.json(sessions.label(pathParam(c, "id"), sid, { ...patch, actor: actorOf(c) }));
  }, { json: SessionView }),
};
