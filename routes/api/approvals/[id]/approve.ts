/**
 * `POST /api/approvals/{id}/approve`: the waiting call runs; the audit log
 * records who decided. A request no longer pending is a 409.
 */
import { readBody } from "../../../../http/body.ts";
import { actorOf, pathParam, route, type RouteHandlers } from "../../../../http/define.ts";
import { ApprovalView, ApproveBody } from "../../../../kernel/types.ts";

export const handler: RouteHandlers = {
  POST: route("operator", async (c) => {
    await readBody(c, ApproveBody);
    return c.json(c.get("kernel").approvals.approve(pathParam(c, "id"), { actor: actorOf(c) }));
  }, { json: ApprovalView }),
};
