/**
 * `POST /api/hands/{id}/activate`: a new instance (201). Bad settings are a
 * 400 naming `settings.<key>`; unmet requirements a refusal naming each with
 * its fix; nothing is written either way.
 */
import { readBody } from "../../../../http/body.ts";
import { actorOf, pathParam, route, type RouteHandlers } from "../../../../http/define.ts";
import { ActivateHandBody, HandInstanceView } from "../../../../kernel/types.ts";

export const handler: RouteHandlers = {
  POST: route("operator", async (c) => {
    const body = await readBody(c, ActivateHandBody);
    const hands = c.get("kernel").hands;
    return c.json(hands.activate(pathParam(c, "id"), body, { actor: actorOf(c) }), 201);
  }, { json: HandInstanceView }),
};
