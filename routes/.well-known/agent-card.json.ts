/**
 * `GET /.well-known/agent-card.json`: this Talon's A2A agent card — public,
 * the one deliberate exception to "no open reads". It declares bearer auth;
 * its skills are the agents offered over A2A (`a2a = true`), each with its
 * own card under `/a2a/agents/`.
 */
import { route, type RouteHandlers } from "../../http/define.ts";
import { talonAgentCard } from "../../kernel/mod.ts";
import { A2aAgentCard } from "../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route(
    "public",
    (c) => c.json(talonAgentCard(c.get("kernel"), c.req.url), 200, { "cache-control": "no-cache" }),
    { json: A2aAgentCard },
  ),
};
