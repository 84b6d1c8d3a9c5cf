import assert from "node:assert/strict";
import {
  capMemory,
  FUEL_GLOBAL,
  instrumentFuel,
  isFuelInstrumented,
  runPluginCall,
} from "../../../kernel/sandbox/mod.ts";
import { callOf, MISBEHAVING, MISBEHAVING_WASM, TEST_PAGES } from "./sandbox_fixtures.ts";

Deno.test("runPluginCall() uses the same fuel for the same plugin and input, every run", async () => {
  const input = "banana ".repeat(50);
  const runs = [];
  for (let i = 0; i < 3; i++) {
    runs.push(await runPluginCall(MISBEHAVING, callOf("count", { input })));
  }
  for (const r of runs) {
    assert.ok(r.ok);
    assert.equal(r.output, '{"a":150}');
  }
  assert.ok(runs[0]!.fuel_used > 0n);
  assert.deepEqual(runs.map((r) => r.fuel_used), Array(3).fill(runs[0]!.fuel_used));
  const longer = await runPluginCall(MISBEHAVING, callOf("count", { input: input + "a" }));
  assert.ok(longer.fuel_used > runs[0]!.fuel_used, "more input, more fuel");
});

Deno.test("a plugin that exhausts its fuel stops with FuelExhausted at the same point every run", async () => {
  const full = await runPluginCall(
    MISBEHAVING,
    callOf("count", { input: "a".repeat(500) }),
  );
  const budget = full.fuel_used / 2n;
  const results = [];
  for (let i = 0; i < 3; i++) {
    results.push(
      await runPluginCall(
        MISBEHAVING,
        callOf("count", { input: "a".repeat(500), fuel: budget }),
      ),
    );
  }
  for (const r of results) {
    assert.equal(r.ok, false);
    if (r.ok) continue;
    assert.equal(r.kind, "fuel_exhausted");
    assert.match(r.message, /FuelExhausted/);
    assert.equal(r.fuel_used, budget, "stopped exactly when the budget ran out");
  }
  const spin = await runPluginCall(MISBEHAVING, callOf("spin", { fuel: 1_000_000n }));
  assert.equal(spin.ok, false);
  assert.equal(!spin.ok && spin.kind, "fuel_exhausted");
  assert.equal(spin.fuel_used, 1_000_000n);
});

Deno.test("instrumentFuel() exports the fuel global and refuses an instrumented module", async () => {
  assert.ok(isFuelInstrumented(MISBEHAVING));
  assert.ok(WebAssembly.Module.exports(MISBEHAVING).some((e) => e.name === FUEL_GLOBAL));
  await assert.rejects(() => instrumentFuel(MISBEHAVING_WASM), /already has a "talon_fuel"/);
  await assert.rejects(() => instrumentFuel(new Uint8Array([1, 2, 3])), TypeError);
});

Deno.test("capMemory() caps the module's memory so allocation past it traps", async () => {
  const capped = new WebAssembly.Module(capMemory(MISBEHAVING_WASM, 128));
  const r = await runPluginCall(capped, callOf("hog", { maxPages: 128 }));
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.kind, "memory_exhausted");
  assert.match(!r.ok ? r.message : "", /of its 128 pages \(8 MiB cap\)/);
  assert.throws(() => capMemory(MISBEHAVING_WASM, 0), /above the cap of 0/);
  assert.throws(() => capMemory(new Uint8Array([0, 1, 2]), TEST_PAGES), /not a WebAssembly module/);
});
