/** `PUT /api/budget/agents/{id}`: set (or with `null` clear) one agent's caps (admin). */
import { readBody } from "../../../../http/body.ts";
import { actorOf, pathParam, route, type RouteHandlers } from "../../../../http/define.ts";
import { AgentBudgetPatch } from "../../../../kernel/types.ts";

export const handler: RouteHandlers = {
  PUT: route("admin", async (c) => {
    const patch = await readBody(c, AgentBudgetPatch);
    const kernel = c.get("kernel");
    const agent = kernel.agents.get(pathParam(c, "id"));
    return c.json(kernel.budget.setAgentCaps(agent, patch, { actor: actorOf(c) }));
  }),
};
