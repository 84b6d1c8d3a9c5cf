/** `GET /api/audit/verify`: walk the chain; 200 with `ok: false` and the first broken link. */
import { route, type RouteHandlers } from "../../../http/define.ts";
import { AuditVerification } from "../../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route("viewer", async (c) => c.json(await c.get("kernel").verifyAudit()), {
    json: AuditVerification,
  }),
};
