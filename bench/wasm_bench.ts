/**
 * WASM skill benchmarks: the per-call cost of a plugin tool in-process and
 * in a sandbox Worker (both on a reused Extism instance reset to its fresh
 * state after each call), the cost of a call on a new instance (the path of a
 * module whose state cannot be reset, and the cost before instances were
 * reused), and the cost of fuel instrumentation on a hot loop. Run with
 * `deno task bench`.
 */
import {
  capMemory,
  FUEL_GLOBAL,
  instrumentFuel,
  runPluginCall,
  WorkerPool,
} from "../kernel/sandbox/mod.ts";
import { BUNDLED_SKILLS } from "../kernel/skills/mod.ts";

const textstats = BUNDLED_SKILLS.find((s) => s.where.endsWith("textstats"))!;
const module = new WebAssembly.Module(capMemory(textstats.wasm!, 256));
const call = {
  export: "analyze",
  input: JSON.stringify({ text: "The quick brown fox jumps over the lazy dog." }),
  fuel: 100_000_000n,
  grants: [],
  maxPages: 256,
};
const pool = new WorkerPool({ maxWorkers: 1 });
// Warm the Worker so its start-up is not measured.
await pool.run(module, call, { timeoutMs: 60_000, host: () => Promise.resolve(null) });

Deno.bench("skill tool call in-process (reset Extism instance, fuel set and read)", {
  group: "call",
  baseline: true,
}, async () => {
  await runPluginCall(module, call);
});

Deno.bench("skill tool call in a sandbox Worker (same, plus the message round trip)", {
  group: "call",
}, async () => {
  await pool.run(module, call, { timeoutMs: 10_000, host: () => Promise.resolve(null) });
});

// The same plugin without its state exports: every call instantiates it anew.
const unresettable = new WebAssembly.Module(textstats.wasm!);
Deno.bench("skill tool call in-process on a new Extism instance", { group: "call" }, async () => {
  await runPluginCall(unresettable, call);
});

// (func (export "sum") (param i32) (result i32)): sums n..1 in a loop.
const SUM_WASM = new Uint8Array([
  0x00,
  0x61,
  0x73,
  0x6d,
  0x01,
  0x00,
  0x00,
  0x00,
  0x01,
  0x06,
  0x01,
  0x60,
  0x01,
  0x7f,
  0x01,
  0x7f,
  0x03,
  0x02,
  0x01,
  0x00,
  0x07,
  0x07,
  0x01,
  0x03,
  0x73,
  0x75,
  0x6d,
  0x00,
  0x00,
  0x0a,
  0x23,
  0x01,
  0x21,
  0x01,
  0x01,
  0x7f,
  0x02,
  0x40,
  0x03,
  0x40,
  0x20,
  0x00,
  0x45,
  0x0d,
  0x01,
  0x20,
  0x01,
  0x20,
  0x00,
  0x6a,
  0x21,
  0x01,
  0x20,
  0x00,
  0x41,
  0x01,
  0x6b,
  0x21,
  0x00,
  0x0c,
  0x00,
  0x0b,
  0x0b,
  0x20,
  0x01,
  0x0b,
]);
const plain = new WebAssembly.Instance(new WebAssembly.Module(SUM_WASM)).exports;
const metered = new WebAssembly.Instance(new WebAssembly.Module(await instrumentFuel(SUM_WASM)))
  .exports;
const fuel = metered[FUEL_GLOBAL] as WebAssembly.Global;
const plainSum = plain.sum as (n: number) => number;
const meteredSum = metered.sum as (n: number) => number;

Deno.bench(
  "loop of 1,000,000 iterations, uninstrumented",
  { group: "fuel", baseline: true },
  () => {
    plainSum(1_000_000);
  },
);

Deno.bench("loop of 1,000,000 iterations, fuel-instrumented", { group: "fuel" }, () => {
  fuel.value = 10_000_000n;
  meteredSum(1_000_000);
});

globalThis.addEventListener("unload", () => pool.close());
