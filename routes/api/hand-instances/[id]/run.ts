/**
 * `POST /api/hand-instances/{id}/run`: runs an active instance now (its
 * schedule's run, 201); only a serving process fires, a refusal is a
 * recorded skip.
 */
import { actorOf, pathParam, route, type RouteHandlers } from "../../../../http/define.ts";
import { ScheduleRunView } from "../../../../kernel/types.ts";

export const handler: RouteHandlers = {
  POST: route("operator", (c) => {
    const run = c.get("kernel").hands.run(pathParam(c, "id"), { actor: actorOf(c) });
    return c.json(run, 201);
  }, { json: ScheduleRunView }),
};
