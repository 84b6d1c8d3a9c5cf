/**
 * `POST /api/agents/{id}/message/stream`: queue a message and stream the turn
 * as SSE events `token`, `tool_start`, `tool_end`, `error` and `done`, each
 * with its event-log id. A client that disconnects does not stop the turn;
 * it can re-attach with `GET /api/agents/{id}/turns/current/stream`.
 */
import { readBody } from "../../../../../http/body.ts";
import { actorOf, pathParam, route, type RouteHandlers } from "../../../../../http/define.ts";
import { streamEvents } from "../../../../../http/sse.ts";
import { MessageBody } from "../../../../../kernel/types.ts";

const TYPES = new Set(["token", "tool_start", "tool_end", "error", "done"]);

export const handler: RouteHandlers = {
  POST: route("operator", async (c) => {
    const { text } = await readBody(c, MessageBody);
    const handle = c.get("kernel").agents.send(pathParam(c, "id"), text, { actor: actorOf(c) });
    return streamEvents(c, handle.events(), { wire: "payload", types: TYPES });
  }, { sse: true }),
};
