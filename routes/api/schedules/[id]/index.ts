/**
 * `GET /api/schedules/{id}`, `PATCH /api/schedules/{id}` (edit; a row owned
 * by a manifest takes only `enabled`), `DELETE /api/schedules/{id}` (with its
 * runs; a row owned by a manifest or a Hand is a 409 naming the owner).
 */
import { readBody } from "../../../../http/body.ts";
import { actorOf, pathParam, route, type RouteHandlers } from "../../../../http/define.ts";
import { ScheduleEdit, ScheduleView } from "../../../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route("viewer", (c) => c.json(c.get("kernel").schedules.get(pathParam(c, "id"))), {
    json: ScheduleView,
  }),
  PATCH: route("operator", async (c) => {
    const edit = await readBody(c, ScheduleEdit);
    const schedules = c.get("kernel").schedules;
    return c.json(schedules.update(pathParam(c, "id"), edit, { actor: actorOf(c) }));
  }, { json: ScheduleView }),
  DELETE: route("operator", (c) => {
    c.get("kernel").schedules.remove(pathParam(c, "id"), { actor: actorOf(c) });
    return c.body(null, 204);
  }, { empty: true }),
};
