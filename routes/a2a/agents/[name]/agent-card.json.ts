/**
 * `GET /a2a/agents/{name}/agent-card.json`: the A2A card of an agent offered
 * over A2A, with its JSON-RPC endpoint and signing key (viewer); `not_found` for an agent
 * that is unknown or not offered.
 */
import { pathParam, route, type RouteHandlers } from "../../../../http/define.ts";
import { offeredAgentCard } from "../../../../kernel/mod.ts";
import { A2aAgentCard } from "../../../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route(
    "viewer",
    async (c) => c.json(await offeredAgentCard(c.get("kernel"), pathParam(c, "name"), c.req.url)),
    { json: A2aAgentCard },
  ),
};
