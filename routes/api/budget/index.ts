/**
 * `GET /api/budget?agent=`: global caps and spend, and each live agent's caps
 * and use (viewer). `PUT /api/budget`: set (or with `null` clear) global caps
 * (admin).
 */
import { readBody, readQuery } from "../../../http/body.ts";
import { actorOf, route, type RouteHandlers } from "../../../http/define.ts";
import { BudgetQuery, BudgetReport, GlobalBudgetPatch, GlobalCaps } from "../../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route("viewer", (c) => {
    const { agent } = readQuery(c, BudgetQuery);
    return c.json(c.get("kernel").budgetReport(agent));
  }, { json: BudgetReport }),
  PUT: route("admin", async (c) => {
    const patch = await readBody(c, GlobalBudgetPatch);
    return c.json(c.get("kernel").budget.setGlobalCaps(patch, { actor: actorOf(c) }));
  }, { json: GlobalCaps }),
};
