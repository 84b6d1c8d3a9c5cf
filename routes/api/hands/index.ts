/** `GET /api/hands`: the catalog, each Hand with whether this box meets its requirements. */
import { route, type RouteHandlers } from "../../../http/define.ts";
import { HandList } from "../../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route("viewer", (c) => c.json({ hands: c.get("kernel").hands.list() } satisfies HandList), {
    json: HandList,
  }),
};
