/**
 * `POST /api/agents/{id}/compact`: summarise the older turns of the agent's
 * current session now (the agent's model writes the summary, metered and
 * budget-checked); the stored messages are kept.
 */
import { actorOf, pathParam, route, type RouteHandlers } from "../../../../http/define.ts";
import { CompactResult } from "../../../../kernel/types.ts";

export const handler: RouteHandlers = {
  POST: route("operator", async (c) => {
    const actor = actorOf(c);
    return c.json(await c.get("kernel").sessions.compact(pathParam(c, "id"), { actor }));
  }, { json: CompactResult }),
};
