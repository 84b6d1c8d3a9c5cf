/** `GET /api/schedules/preview?cron=&tz=`: the next five fire times (croner stays on the server). */
import { readQuery } from "../../../http/body.ts";
import { route, type RouteHandlers } from "../../../http/define.ts";
import { SchedulePreview, SchedulePreviewQuery } from "../../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route("viewer", (c) => {
    const { cron, tz } = readQuery(c, SchedulePreviewQuery);
    return c.json(c.get("kernel").schedules.preview(cron, tz));
  }, { json: SchedulePreview }),
};
