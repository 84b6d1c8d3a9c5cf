/**
 * `GET /api/skills`: bundled and installed skills with their status (viewer).
 * `POST /api/skills` `{dir}`: install the skill in a folder on the server's
 * machine (admin); refused skills answer 422 with the reason.
 */
import { readBody } from "../../../http/body.ts";
import { actorOf, route, type RouteHandlers } from "../../../http/define.ts";
import { SkillInstallBody, SkillList, SkillView } from "../../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route(
    "viewer",
    (c) => c.json({ skills: c.get("kernel").skills.list() } satisfies SkillList),
    {
      json: SkillList,
    },
  ),
  POST: route("admin", async (c) => {
    const { dir } = await readBody(c, SkillInstallBody);
    return c.json(await c.get("kernel").skills.install(dir, actorOf(c)), 201);
  }, { json: SkillView }),
};
