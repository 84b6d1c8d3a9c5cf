/** `GET /api/agents/{id}/memory/kv?q=&limit=`: the agent's key-value entries, newest first. */
import { readQuery } from "../../../../../../http/body.ts";
import { pathParam, route, type RouteHandlers } from "../../../../../../http/define.ts";
import { KvList, KvListQuery } from "../../../../../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route("viewer", (c) => {
    const kernel = c.get("kernel");
    const agent = kernel.agents.get(pathParam(c, "id"));
    const { q, limit } = readQuery(c, KvListQuery);
    return c.json(
      { entries: kernel.memory.listKv(agent.id, { query: q, limit }) } satisfies KvList,
    );
  }, { json: KvList }),
};
