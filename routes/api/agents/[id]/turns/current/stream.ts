/**
 * `GET /api/agents/{id}/turns/current/stream`: re-attach to the turn the
 * agent is running (e.g. after a page reload). Replays the turn's events
 * from its start, or after `Last-Event-ID`, then follows it live until
 * `done`: `turn.started`, `token`, `tool_start`, `tool_end`, `error`, `done`.
 * With no turn running the answer is 204 No Content (EventSource clients
 * stop reconnecting on 204).
 */
import { pathParam, route, type RouteHandlers } from "../../../../../../http/define.ts";
import { lastEventIdOf, streamEvents } from "../../../../../../http/sse.ts";

const TYPES = new Set(["turn.started", "token", "tool_start", "tool_end", "error", "done"]);

export const handler: RouteHandlers = {
  GET: route("viewer", (c) => {
    const agents = c.get("kernel").agents;
    const afterId = lastEventIdOf(c) ?? 0;
    const turnId = agents.currentTurn(pathParam(c, "id"));
    if (turnId === undefined) return c.body(null, 204);
    return streamEvents(c, agents.turnEvents(turnId, afterId), { wire: "payload", types: TYPES });
  }, { sse: true, empty: true }),
};
