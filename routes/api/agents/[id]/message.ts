/** `POST /api/agents/{id}/message`: queue a message, wait, return the final reply and usage. */
import { readBody } from "../../../../http/body.ts";
import { actorOf, pathParam, route, type RouteHandlers } from "../../../../http/define.ts";
import { MessageBody, TurnResult } from "../../../../kernel/types.ts";

export const handler: RouteHandlers = {
  POST: route("operator", async (c) => {
    const { text } = await readBody(c, MessageBody);
    const handle = c.get("kernel").agents.send(pathParam(c, "id"), text, { actor: actorOf(c) });
    return c.json(await handle.result);
  }, { json: TurnResult }),
};
