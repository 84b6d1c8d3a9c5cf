/** `GET /api/reports`: reports newest first, without bodies (`?instance=`, `?limit=`). */
import { readQuery } from "../../../http/body.ts";
import { route, type RouteHandlers } from "../../../http/define.ts";
import { ReportList, ReportListQuery } from "../../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route("viewer", (c) => {
    const query = readQuery(c, ReportListQuery);
    return c.json({ reports: c.get("kernel").reports.list(query) } satisfies ReportList);
  }, { json: ReportList }),
};
