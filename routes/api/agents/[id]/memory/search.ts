/** `GET /api/agents/{id}/memory/search?q=&kind=&limit=`: hybrid search over facts and key-value entries. */
import { readQuery } from "../../../../../http/body.ts";
import { pathParam, route, type RouteHandlers } from "../../../../../http/define.ts";
import { MemorySearchQuery, MemorySearchResult } from "../../../../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route("viewer", async (c) => {
    const kernel = c.get("kernel");
    const agent = kernel.agents.get(pathParam(c, "id"));
    const query = readQuery(c, MemorySearchQuery);
    return c.json(await kernel.memory.search(agent, query, { signal: c.req.raw.signal }));
  }, { json: MemorySearchResult }),
};
