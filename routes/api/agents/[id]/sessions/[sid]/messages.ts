/**
 * `GET /api/agents/{id}/sessions/{sid}/messages?limit=&before=`: a page of
 * one session's messages (any of the agent's sessions, not only the current one).
 */
import { readQuery } from "../../../../../../http/body.ts";
import { pathParam, route, type RouteHandlers } from "../../../../../../http/define.ts";
import { sessionParam } from "../../../../../../http/session_param.ts";
import { SessionPage, SessionQuery } from "../../../../../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route("viewer", (c) => {
    const sid = sessionParam(c);
    const query = readQuery(c, SessionQuery);
    return c.json(c.get("kernel").sessions.page(pathParam(c, "id"), sid, query));
  }, { json: SessionPage }),
};
