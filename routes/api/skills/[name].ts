/** `GET /api/skills/{name}` (viewer), `DELETE /api/skills/{name}`: remove an installed skill (admin). */
import { actorOf, pathParam, route, type RouteHandlers } from "../../../http/define.ts";
import { SkillRemoved, SkillView } from "../../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route("viewer", (c) => c.json(c.get("kernel").skills.get(pathParam(c, "name"))), {
    json: SkillView,
  }),
  DELETE: route("admin", async (c) => {
    const name = pathParam(c, "name");
    await c.get("kernel").skills.remove(name, actorOf(c));
    return c.json({ removed: name } satisfies SkillRemoved);
  }, { json: SkillRemoved }),
};
