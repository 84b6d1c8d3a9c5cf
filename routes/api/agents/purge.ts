/** `POST /api/agents/purge`: remove killed agents and their sessions. */
import { actorOf, route, type RouteHandlers } from "../../../http/define.ts";
import { PurgeResult } from "../../../kernel/types.ts";

export const handler: RouteHandlers = {
  POST: route(
    "operator",
    (c) =>
      c.json({ purged: c.get("kernel").agents.purge({ actor: actorOf(c) }) } satisfies PurgeResult),
    {
      json: PurgeResult,
    },
  ),
};
