/**
 * `POST /api/approvals/{id}/reject` with an optional `reason` the model
 * sees: the call is denied; the audit log records who decided. A request no
 * longer pending is a 409.
 */
import { readBody } from "../../../../http/body.ts";
import { actorOf, pathParam, route, type RouteHandlers } from "../../../../http/define.ts";
import { ApprovalView, RejectBody } from "../../../../kernel/types.ts";

export const handler: RouteHandlers = {
  POST: route("operator", async (c) => {
    const { reason } = await readBody(c, RejectBody);
    const approvals = c.get("kernel").approvals;
    return c.json(approvals.reject(pathParam(c, "id"), { actor: actorOf(c), reason }));
  }, { json: ApprovalView }),
};
