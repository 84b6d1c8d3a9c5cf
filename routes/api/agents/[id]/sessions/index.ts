/** `GET /api/agents/{id}/sessions?limit=`: the agent's sessions, newest first. */
import { readQuery } from "../../../../../http/body.ts";
import { pathParam, route, type RouteHandlers } from "../../../../../http/define.ts";
import { SessionList, SessionListQuery } from "../../../../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route("viewer", (c) => {
    const query = readQuery(c, SessionListQuery);
    return c.json(c.get("kernel").sessions.list(pathParam(c, "id"), query));
  }, { json: SessionList }),
};
