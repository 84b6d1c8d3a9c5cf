/**
 * `POST /api/a2a/discover`: reads the agent card at `url` (operator), which
 * must be one of the configured `[a2a] peers`; the card is remembered for
 * `GET /api/a2a/peers`.
 */
import { readBody } from "../../../http/body.ts";
import { route, type RouteHandlers } from "../../../http/define.ts";
import { A2aCardView, A2aDiscoverBody } from "../../../kernel/types.ts";

export const handler: RouteHandlers = {
  POST: route("operator", async (c) => {
    const { url } = await readBody(c, A2aDiscoverBody);
    return c.json(await c.get("kernel").a2a.discover(url, { signal: c.req.raw.signal }));
  }, { json: A2aCardView }),
};
