/**
 * `GET /api/agents/{id}/memory/facts?limit=&before=`: facts the agent sees,
 * newest first; `POST` `{text, scope?, confidence?}` remembers one.
 */
import { readBody } from "../../../../../../http/body.ts";
import { actorOf, pathParam, route, type RouteHandlers } from "../../../../../../http/define.ts";
import { FactList, FactView, RememberBody } from "../../../../../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route("viewer", (c) => {
    const kernel = c.get("kernel");
    const agent = kernel.agents.get(pathParam(c, "id"));
    return c.json(kernel.memory.listFacts(agent.id, c.req.query()));
  }, { json: FactList }),
  POST: route("operator", async (c) => {
    const kernel = c.get("kernel");
    const agent = kernel.agents.get(pathParam(c, "id"));
    const body = await readBody(c, RememberBody);
    const fact = await kernel.memory.remember(agent, body, {
      source: actorOf(c),
      actor: actorOf(c),
    });
    return c.json(fact, 201);
  }, { json: FactView }),
};
