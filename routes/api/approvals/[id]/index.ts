/** `GET /api/approvals/{id}`: one request, with exactly what would run. */
import { pathParam, route, type RouteHandlers } from "../../../../http/define.ts";
import { ApprovalView } from "../../../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route("viewer", (c) => c.json(c.get("kernel").approvals.get(pathParam(c, "id"))), {
    json: ApprovalView,
  }),
};
