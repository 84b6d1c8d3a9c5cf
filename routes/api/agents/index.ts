/** `GET /api/agents` (paged list), `POST /api/agents` (spawn from JSON or TOML). */
import { readBody, readQuery } from "../../../http/body.ts";
import { actorOf, route, type RouteHandlers } from "../../../http/define.ts";
import { AgentList, AgentListQuery, AgentView, SpawnAgentBody } from "../../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route("viewer", (c) => {
    const query = readQuery(c, AgentListQuery);
    return c.json({ agents: c.get("kernel").agents.list(query) } satisfies AgentList);
  }, { json: AgentList }),
  POST: route("operator", async (c) => {
    const { parent, ...manifest } = await readBody(c, SpawnAgentBody, { toml: true });
    const agent = c.get("kernel").agents.spawn(manifest, { parent, actor: actorOf(c) });
    return c.json(agent, 201);
  }, { json: AgentView }),
};
