/** `PUT /api/budget/global`: set (or with `null` clear) global caps (admin). */
import { readBody } from "../../../http/body.ts";
import { actorOf, route, type RouteHandlers } from "../../../http/define.ts";
import { GlobalBudgetPatch } from "../../../kernel/types.ts";

export const handler: RouteHandlers = {
  PUT: route("admin", async (c) => {
    const patch = await readBody(c, GlobalBudgetPatch);
    return c.json(c.get("kernel").budget.setGlobalCaps(patch, { actor: actorOf(c) }));
  }),
};
