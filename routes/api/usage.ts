/** `GET /api/usage?group=agent|model|day&since=&limit=`: metered LLM usage, summed. */
import { readQuery } from "../../http/body.ts";
import { route, type RouteHandlers } from "../../http/define.ts";
import { UsageQuery, UsageReport } from "../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route("viewer", (c) => c.json(c.get("kernel").usage(readQuery(c, UsageQuery))), {
    json: UsageReport,
  }),
};
