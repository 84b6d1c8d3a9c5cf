/** `GET /api/agents/{id}/session?limit=&before=`: the session, oldest first, paged back by message id. */
import { readQuery } from "../../../../../http/body.ts";
import { pathParam, route, type RouteHandlers } from "../../../../../http/define.ts";
import { SessionPage, SessionQuery } from "../../../../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route("viewer", (c) => {
    const query = readQuery(c, SessionQuery);
    return c.json(c.get("kernel").agents.session(pathParam(c, "id"), query));
  }, { json: SessionPage }),
};
