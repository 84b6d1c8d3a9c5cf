/** `GET /api/schedules/{id}/runs?limit=&before=`: a schedule's runs, newest first. */
import { readQuery } from "../../../../http/body.ts";
import { pathParam, route, type RouteHandlers } from "../../../../http/define.ts";
import { ScheduleRunList, ScheduleRunsQuery } from "../../../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route("viewer", (c) => {
    const query = readQuery(c, ScheduleRunsQuery);
    return c.json(c.get("kernel").schedules.runs(pathParam(c, "id"), query));
  }, { json: ScheduleRunList }),
};
