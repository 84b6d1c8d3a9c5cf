/** `GET /api/schedules` (list, by agent or owner), `POST /api/schedules` (create). */
import { readBody, readQuery } from "../../../http/body.ts";
import { actorOf, route, type RouteHandlers } from "../../../http/define.ts";
import {
  CreateScheduleBody,
  ScheduleList,
  ScheduleListQuery,
  ScheduleView,
} from "../../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route("viewer", (c) => {
    const query = readQuery(c, ScheduleListQuery);
    return c.json({ schedules: c.get("kernel").schedules.list(query) } satisfies ScheduleList);
  }, { json: ScheduleList }),
  POST: route("operator", async (c) => {
    const body = await readBody(c, CreateScheduleBody);
    return c.json(c.get("kernel").schedules.create(body, { actor: actorOf(c) }), 201);
  }, { json: ScheduleView }),
};
