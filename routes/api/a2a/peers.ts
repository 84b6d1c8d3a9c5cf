/**
 * `GET /api/a2a/peers`: the configured A2A peers with what their last
 * discovery found (viewer).
 */
import { route, type RouteHandlers } from "../../../http/define.ts";
import { A2aPeerList } from "../../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route(
    "viewer",
    (c) => c.json({ peers: c.get("kernel").a2a.list() } satisfies A2aPeerList),
    { json: A2aPeerList },
  ),
};
