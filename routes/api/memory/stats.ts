/** `GET /api/memory/stats`: memory figures of every agent that keeps memory, and how recall works. */
import { route, type RouteHandlers } from "../../../http/define.ts";
import { MemoryStats } from "../../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route("viewer", (c) => c.json(c.get("kernel").memoryStats()), { json: MemoryStats }),
};
