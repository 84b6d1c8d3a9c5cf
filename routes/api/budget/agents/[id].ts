/**
 * `GET /api/budget/agents/{id}`: one agent's caps and use (viewer).
 * `PUT /api/budget/agents/{id}`: set (or with `null` clear) its caps (admin).
 */
import { readBody } from "../../../../http/body.ts";
import { actorOf, pathParam, route, type RouteHandlers } from "../../../../http/define.ts";
import { AgentBudgetPatch, AgentBudgetView } from "../../../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route("viewer", (c) => {
    const kernel = c.get("kernel");
    return c.json(kernel.budget.agentBudget(kernel.agents.get(pathParam(c, "id"))));
  }, { json: AgentBudgetView }),
  PUT: route("admin", async (c) => {
    const patch = await readBody(c, AgentBudgetPatch);
    const kernel = c.get("kernel");
    const agent = kernel.agents.get(pathParam(c, "id"));
    return c.json(kernel.budget.setAgentCaps(agent, patch, { actor: actorOf(c) }));
  }, { json: AgentBudgetView }),
};
