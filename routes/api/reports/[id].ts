/** `GET /api/reports/{id}`: one report with its markdown body, sources and delivery. */
import { pathParam, route, type RouteHandlers } from "../../../http/define.ts";
import { ReportView } from "../../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route("viewer", (c) => c.json(c.get("kernel").reports.get(pathParam(c, "id"))), {
    json: ReportView,
  }),
};
