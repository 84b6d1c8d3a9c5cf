/** `GET /api/audit/recent?agent_id=&action=&limit=&before=`: entries newest first (admin). */
import { readQuery } from "../../../http/body.ts";
import { route, type RouteHandlers } from "../../../http/define.ts";
import { AuditList, AuditListQuery } from "../../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route("viewer", (c) => c.json(c.get("kernel").audit.list(readQuery(c, AuditListQuery))), {
    json: AuditList,
  }),
};
