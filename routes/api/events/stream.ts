/**
 * `GET /api/events/stream?agent_id=&types=a,b&after=`: the event bus as SSE.
 * Each event is sent whole (id, ts, type, agent_id, turn_id, data) with its
 * log id; `Last-Event-ID` (or `after`) replays from the persisted log first.
 * A subscriber that falls behind, or asks for events already pruned, gets a
 * `gap` event naming the missed ids and can reconnect to re-read them.
 */
import { readQuery } from "../../../http/body.ts";
import { route, type RouteHandlers } from "../../../http/define.ts";
import { lastEventIdOf, streamEvents } from "../../../http/sse.ts";
import { EventStreamQuery } from "../../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route("viewer", (c) => {
    const query = readQuery(c, EventStreamQuery);
    const kernel = c.get("kernel");
    const afterId = lastEventIdOf(c, query.after);
    const agentId = query.agent_id === undefined ? undefined : kernel.agents.get(query.agent_id).id;
    const pruned = afterId === undefined ? undefined : kernel.bus.prunedSince(afterId);
    const sub = kernel.bus.subscribe({ agentId, types: query.types, afterId });
    return streamEvents(c, sub, { wire: "event", preamble: pruned ? [pruned] : [] });
  }, { sse: true }),
};
