/** `GET /api/budget`: global caps and spend, and each live agent's caps and use. */
import { readQuery } from "../../../http/body.ts";
import { route, type RouteHandlers } from "../../../http/define.ts";
import { BudgetQuery } from "../../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route("viewer", (c) => {
    const { agent } = readQuery(c, BudgetQuery);
    return c.json(c.get("kernel").budgetReport(agent));
  }),
};
