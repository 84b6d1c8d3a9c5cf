/**
 * `GET|PUT|DELETE /api/agents/{id}/memory/kv/{key}`: one key-value entry, the
 * key URL-encoded. PUT takes `{text}` (refused past 10,000 entries).
 */
import { readBody } from "../../../../../../http/body.ts";
import { actorOf, pathParam, route, type RouteHandlers } from "../../../../../../http/define.ts";
import { KvEntry, KvPutBody, MemoryDeleted } from "../../../../../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route("viewer", (c) => {
    const kernel = c.get("kernel");
    const agent = kernel.agents.get(pathParam(c, "id"));
    return c.json(kernel.memory.getKv(agent.id, pathParam(c, "key")));
  }, { json: KvEntry }),
  PUT: route("operator", async (c) => {
    const kernel = c.get("kernel");
    const agent = kernel.agents.get(pathParam(c, "id"));
    const body = await readBody(c, KvPutBody);
    return c.json(kernel.memory.setKv(agent.id, pathParam(c, "key"), body, { actor: actorOf(c) }));
  }, { json: KvEntry }),
  DELETE: route("operator", (c) => {
    const kernel = c.get("kernel");
    const agent = kernel.agents.get(pathParam(c, "id"));
    kernel.memory.deleteKv(agent.id, pathParam(c, "key"), { actor: actorOf(c) });
    return c.json({ deleted: true } satisfies MemoryDeleted);
  }, { json: MemoryDeleted }),
};
