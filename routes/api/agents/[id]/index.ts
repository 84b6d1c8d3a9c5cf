/**
 * `GET /api/agents/{id}` (by id or name), `PATCH /api/agents/{id}` (edit the
 * manifest; not its name), `DELETE /api/agents/{id}` (kill).
 */
import { readBody } from "../../../../http/body.ts";
import { actorOf, pathParam, route, type RouteHandlers } from "../../../../http/define.ts";
import { AgentPatch, AgentView } from "../../../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route("viewer", (c) => c.json(c.get("kernel").agents.get(pathParam(c, "id"))), {
    json: AgentView,
  }),
  PATCH: route("operator", async (c) => {
    const patch = await readBody(c, AgentPatch);
    return c.json(c.get("kernel").agents.update(pathParam(c, "id"), patch, { actor: actorOf(c) }));
  }, { json: AgentView }),
  DELETE: route(
    "operator",
    (c) => c.json(c.get("kernel").agents.kill(pathParam(c, "id"), { actor: actorOf(c) })),
    { json: AgentView },
  ),
};
