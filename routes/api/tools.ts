/** `GET /api/tools`: every tool — built-ins and the tools of loaded skills — with what a call needs. */
import { route, type RouteHandlers } from "../../http/define.ts";
import { ToolList } from "../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route("viewer", (c) => c.json({ tools: c.get("kernel").toolViews() } satisfies ToolList), {
    json: ToolList,
  }),
};
