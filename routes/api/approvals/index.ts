/** `GET /api/approvals?status=&agent=&limit=`: approval requests, newest first. */
import { readQuery } from "../../../http/body.ts";
import { route, type RouteHandlers } from "../../../http/define.ts";
import { ApprovalList, ApprovalListQuery } from "../../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route("viewer", (c) => {
    const query = readQuery(c, ApprovalListQuery);
    return c.json({ approvals: c.get("kernel").approvals.list(query) } satisfies ApprovalList);
  }, { json: ApprovalList }),
};
