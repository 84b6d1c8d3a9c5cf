/**
 * Kernel micro benchmarks: what an agent record, an event and an offline
 * turn cost. Run with `deno task bench`.
 */
import { bootKernel, createLogger } from "../kernel/mod.ts";

const dir = await Deno.makeTempDir();
const kernel = await bootKernel({
  dataDir: dir,
  env: () => undefined,
  log: createLogger("error", { sink: () => {} }),
});
kernel.agents.spawn({ name: "bench" });
let n = 0;

Deno.bench("spawn an agent (validate, insert, 2 lifecycle events)", () => {
  kernel.agents.spawn({ name: `a${n++}` });
});

Deno.bench("publish one event (persist to the log + fan-out)", {
  n: 20_000,
}, () => {
  kernel.bus.publish("audit", { action: "bench", detail: "x" });
});

Deno.bench("one offline turn: send → streamed words → done", async () => {
  await kernel.agents.send("bench", "how fast is a turn").result;
});

// Bench files have no teardown hook and unload cannot await close(); removing
// the files synchronously is enough (the process is exiting).
globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
