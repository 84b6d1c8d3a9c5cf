/** `GET /api/approvals/pending`: how many requests wait for a decision (the nav badge). */
import { route, type RouteHandlers } from "../../../http/define.ts";
import { PendingApprovals } from "../../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route(
    "viewer",
    (c) => c.json({ pending: c.get("kernel").approvals.pendingCount() } satisfies PendingApprovals),
    { json: PendingApprovals },
  ),
};
