/**
 * `GET /api/hand-instances/{id}` (id or name), `PATCH` (settings, checked
 * like activation's; nothing written on a refusal), `DELETE` (deactivate:
 * the agent killed and the schedule removed, runs and reports kept).
 */
import { readBody } from "../../../../http/body.ts";
import { actorOf, pathParam, route, type RouteHandlers } from "../../../../http/define.ts";
import { HandInstancePatch, HandInstanceView } from "../../../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route("viewer", (c) => c.json(c.get("kernel").hands.instance(pathParam(c, "id"))), {
    json: HandInstanceView,
  }),
  PATCH: route("operator", async (c) => {
    const patch = await readBody(c, HandInstancePatch);
    const hands = c.get("kernel").hands;
    return c.json(hands.updateSettings(pathParam(c, "id"), patch, { actor: actorOf(c) }));
  }, { json: HandInstanceView }),
  DELETE: route("operator", (c) => {
    const hands = c.get("kernel").hands;
    return c.json(hands.deactivate(pathParam(c, "id"), { actor: actorOf(c) }));
  }, { json: HandInstanceView }),
};
