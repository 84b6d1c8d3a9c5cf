/**
 * `POST /api/agents/{id}/session/reset`: start a new, empty current session;
 * the old one and its messages are kept (refused while a turn runs or waits).
 */
import { actorOf, pathParam, route, type RouteHandlers } from "../../../../../http/define.ts";
import { SessionReset } from "../../../../../kernel/types.ts";

export const handler: RouteHandlers = {
  POST: route("operator", (c) => {
    const actor = actorOf(c);
    return c.json(c.get("kernel").sessions.reset(pathParam(c, "id"), { actor }));
  }, { json: SessionReset }),
};
