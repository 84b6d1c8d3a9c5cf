/**
 * What an idle agent costs in memory, in-process: boots a kernel on a fresh
 * data dir, spawns agents in steps and prints, per step, the V8 heap in use
 * after a full GC and the process RSS (one JSON line per step). The heap
 * between two steps divided by the agents spawned between them is what each
 * agent keeps in JavaScript objects; RSS adds SQLite's page cache and the
 * allocator. Needs `--v8-flags=--expose-gc`.
 *
 *   deno run -A --v8-flags=--expose-gc bench/agent_cost.ts [steps=1000,3000]
 *
 * @module
 */
import { bootKernel } from "../kernel/mod.ts";

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --v8-flags=--expose-gc");

const steps = (Deno.args[0] ?? "1000,3000").split(",").map(Number);
const dir = await Deno.makeTempDir({ prefix: "talon-agent-cost-" });
const kernel = await bootKernel({ dataDir: dir, flags: { logLevel: "error" } });
try {
  let spawned = 0;
  for (const target of steps) {
    while (spawned < target) kernel.agents.spawn({ name: `agent-${spawned++}` });
    // Each spawn makes the agent's key pair in the background: measure once they have landed.
    await kernel.identity.identity.settle();
    await new Promise((r) => setTimeout(r, 50));
    gc();
    const mem = Deno.memoryUsage();
    console.log(JSON.stringify({ agents: spawned, heap_used: mem.heapUsed, rss: mem.rss }));
  }
} finally {
  await kernel.close();
  await Deno.remove(dir, { recursive: true });
}
