/** `GET /api/status`: version, schema, agents by state. */
import { route, type RouteHandlers } from "../../http/define.ts";
import { KernelStatus } from "../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route("viewer", (c) => c.json(c.get("kernel").status()), { json: KernelStatus }),
};
