/** `GET /api/agents/{id}` (by id or name), `DELETE /api/agents/{id}` (kill). */
import { actorOf, pathParam, route, type RouteHandlers } from "../../../../http/define.ts";

export const handler: RouteHandlers = {
  GET: route("viewer", (c) => c.json(c.get("kernel").agents.get(pathParam(c, "id")))),
  DELETE: route(
    "operator",
    (c) => c.json(c.get("kernel").agents.kill(pathParam(c, "id"), { actor: actorOf(c) })),
  ),
};
