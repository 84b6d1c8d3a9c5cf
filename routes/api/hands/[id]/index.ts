/** `GET /api/hands/{id}`: one Hand, its requirements as checked here, and its SOP. */
import { pathParam, route, type RouteHandlers } from "../../../../http/define.ts";
import { HandDetail } from "../../../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route("viewer", (c) => c.json(c.get("kernel").hands.get(pathParam(c, "id"))), {
    json: HandDetail,
  }),
};
