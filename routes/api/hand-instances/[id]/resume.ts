/** `POST /api/hand-instances/{id}/resume`: resumes the instance (its schedule and agent). */
import { actorOf, pathParam, route, type RouteHandlers } from "../../../../http/define.ts";
import { HandInstanceView } from "../../../../kernel/types.ts";

export const handler: RouteHandlers = {
  POST: route("operator", (c) => {
    const hands = c.get("kernel").hands;
    return c.json(hands.resume(pathParam(c, "id"), { actor: actorOf(c) }));
  }, { json: HandInstanceView }),
};
