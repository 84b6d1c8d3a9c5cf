/**
 * `POST /api/agents/{id}/message/stream`: queue a message and stream the turn
 * as SSE events `token`, `tool_start`, `tool_end`, `error` and `done`, each
 * with its event-log id. A client that disconnects does not stop the turn.
 */
import { streamSSE } from "hono/streaming";
import { readBody } from "../../../../../http/body.ts";
import { actorOf, pathParam, route, type RouteHandlers } from "../../../../../http/define.ts";
import { MessageBody } from "../../../../../kernel/types.ts";

const STREAMED = new Set(["token", "tool_start", "tool_end", "error", "done"]);

export const handler: RouteHandlers = {
  POST: route("operator", async (c) => {
    const { text } = await readBody(c, MessageBody);
    const handle = c.get("kernel").agents.send(pathParam(c, "id"), text, { actor: actorOf(c) });
    return streamSSE(c, async (stream) => {
      const events = handle.events();
      stream.onAbort(() => void events.return?.());
      for await (const event of events) {
        if (!STREAMED.has(event.type)) continue;
        await stream.writeSSE({
          id: String(event.id),
          event: event.type,
          data: JSON.stringify(event.data),
        });
      }
    });
  }),
};
