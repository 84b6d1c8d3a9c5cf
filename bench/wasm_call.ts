/**
 * The in-process WASM skill call figure: mean wall time of one `textstats`
 * call through `runPluginCall` (compiled module reused, its instance reset to
 * its fresh state after each call, fuel set per call), after a warm-up.
 *
 *   deno run -A bench/wasm_call.ts [calls=2000]
 *
 * @module
 */
import { capMemory, runPluginCall } from "../kernel/sandbox/mod.ts";
import { BUNDLED_SKILLS } from "../kernel/skills/mod.ts";

/** Mean µs per in-process call over `calls` calls (best of 3 rounds). */
export async function wasmCallMicros(calls: number): Promise<number> {
  const textstats = BUNDLED_SKILLS.find((s) => s.where.endsWith("textstats"))!;
  const module = new WebAssembly.Module(capMemory(textstats.wasm!, 256));
  const call = {
    export: "analyze",
    input: JSON.stringify({ text: "The quick brown fox jumps over the lazy dog." }),
    fuel: 100_000_000n,
    grants: [],
    maxPages: 256,
  };
  for (let i = 0; i < 200; i++) await runPluginCall(module, call);
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    const started = performance.now();
    for (let i = 0; i < calls; i++) await runPluginCall(module, call);
    best = Math.min(best, ((performance.now() - started) * 1000) / calls);
  }
  return Number(best.toFixed(1));
}

if (import.meta.main) {
  console.log(JSON.stringify({ wasm_call_us: await wasmCallMicros(Number(Deno.args[0] ?? 2000)) }));
}
