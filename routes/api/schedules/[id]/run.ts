/**
 * `POST /api/schedules/{id}/run`: fire now, with the same checks as a due
 * firing; answers the run (a refusal is a recorded skip, not an error).
 */
import { actorOf, pathParam, route, type RouteHandlers } from "../../../../http/define.ts";
import { ScheduleRunView } from "../../../../kernel/types.ts";

export const handler: RouteHandlers = {
  POST: route("operator", (c) => {
    const run = c.get("kernel").schedules.runNow(pathParam(c, "id"), { actor: actorOf(c) });
    return c.json(run, 201);
  }, { json: ScheduleRunView }),
};
