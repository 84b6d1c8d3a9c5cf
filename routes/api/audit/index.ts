/** `GET /api/audit`: audit entries newest first, paged by `before` (an entry id). */
import { readQuery } from "../../../http/body.ts";
import { route, type RouteHandlers } from "../../../http/define.ts";
import { AuditListQuery } from "../../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route("admin", (c) => c.json(c.get("kernel").audit.list(readQuery(c, AuditListQuery)))),
};
