import assert from "node:assert/strict";
import { capMemory } from "../../../kernel/sandbox/mod.ts";
import { restoreSnapshot, takeSnapshot } from "../../../kernel/sandbox/plugin_instances.ts";

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
const name = (text: string) => [text.length, ...new TextEncoder().encode(text)];

/** A module from `[section id, body]` pairs (bodies under 128 bytes). */
function wasm(...sections: Array<[number, number[]]>): Uint8Array<ArrayBuffer> {
  return new Uint8Array([
    ...HEADER,
    ...sections.flatMap(([id, body]) => [id, body.length, ...body]),
  ]);
}

const MEMORY: [number, number[]] = [5, [1, 0x00, 1]];
const MUTABLE_I32: [number, number[]] = [6, [1, 0x7f, 1, 0x41, 0, 0x0b]];
const TABLE: [number, number[]] = [4, [1, 0x70, 0x00, 1]];
const PASSIVE_DATA: [number, number[]] = [11, [1, 0x01, 2, 0xaa, 0xbb]];

function resetExports(bytes: Uint8Array): string[] {
  const module = new WebAssembly.Module(capMemory(bytes, 4));
  return WebAssembly.Module.exports(module)
    .map((e) => `${e.kind}:${e.name}`)
    .filter((e) => e.includes("talon_reset_"))
    .sort();
}

Deno.test("capMemory() exports a module's memory, mutable globals and tables for resetting", () => {
  assert.deepEqual(resetExports(wasm(TABLE, MEMORY, MUTABLE_I32)), [
    "global:talon_reset_g0",
    "memory:talon_reset_memory",
    "table:talon_reset_t0",
  ]);
});

Deno.test("capMemory() exports nothing for resetting when part of the state cannot be reset", () => {
  const cases: Record<string, Uint8Array> = {
    "passive data (data.drop cannot be undone)": wasm(MEMORY, PASSIVE_DATA),
    "passive element segment": wasm(MEMORY, [9, [1, 0x01, 0x00, 0]]),
    "mutable externref global": wasm(MEMORY, [6, [1, 0x6f, 1, 0xd0, 0x6f, 0x0b]]),
    "externref table": wasm([4, [1, 0x6f, 0x00, 1]], MEMORY),
    "imported global": wasm([2, [1, ...name("env"), ...name("g"), 3, 0x7f, 1]], MEMORY),
    "no memory": wasm(MUTABLE_I32),
  };
  for (const [why, bytes] of Object.entries(cases)) {
    const capped = capMemory(bytes, 4);
    const exports = WebAssembly.Module.exports(new WebAssembly.Module(capped)).map((e) => e.name);
    assert.deepEqual(exports.filter((e) => e.startsWith("talon_reset_")), [], why);
  }
});

Deno.test("capMemory() drops talon_reset_ exports a module brings itself, so none can claim to be resettable", () => {
  const forged = wasm(MEMORY, [7, [1, ...name("talon_reset_memory"), 2, 0]], PASSIVE_DATA);
  const module = new WebAssembly.Module(capMemory(forged, 4));
  assert.deepEqual(WebAssembly.Module.exports(module), []);
  // Capping twice gives the same bytes: the rewrite replaces its own exports.
  const once = capMemory(wasm(TABLE, MEMORY, MUTABLE_I32), 4);
  assert.deepEqual(capMemory(once, 4), once);
});

Deno.test("capMemory() still refuses bad modules", () => {
  assert.throws(() => capMemory(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 5, 9]), 4), {
    name: "TalonError",
    message: /truncated/,
  });
  assert.throws(() => capMemory(wasm([5, [2, 0x00, 1, 0x00, 1]]), 4), /2 memories; one is allowed/);
  assert.throws(() => capMemory(wasm([5, [1, 0x03, 1, 2]]), 4), /shared or 64-bit/);
  assert.throws(
    () => capMemory(wasm([2, [1, ...name("env"), ...name("m"), 2, 0x00, 1]]), 4),
    /imports its memory/,
  );
});

Deno.test("restoreSnapshot() puts memory, globals and tables back, and refuses grown ones", () => {
  const instance = new WebAssembly.Instance(
    new WebAssembly.Module(capMemory(wasm(TABLE, MEMORY, MUTABLE_I32), 4)),
  );
  const snapshot = takeSnapshot(instance);
  assert.ok(snapshot);
  const memory = instance.exports.talon_reset_memory as WebAssembly.Memory;
  const global = instance.exports.talon_reset_g0 as WebAssembly.Global;
  const table = instance.exports.talon_reset_t0 as WebAssembly.Table;
  new Uint8Array(memory.buffer)[100] = 9;
  global.value = 41;
  assert.ok(restoreSnapshot(snapshot));
  assert.equal(new Uint8Array(memory.buffer)[100], 0);
  assert.equal(global.value, 0);
  table.grow(1);
  assert.equal(restoreSnapshot(snapshot), false, "a grown table cannot be put back");
  const other = new WebAssembly.Instance(
    new WebAssembly.Module(capMemory(wasm(MEMORY, MUTABLE_I32), 4)),
  );
  const again = takeSnapshot(other)!;
  (other.exports.talon_reset_memory as WebAssembly.Memory).grow(1);
  assert.equal(restoreSnapshot(again), false, "a grown memory cannot shrink back");
  assert.equal(takeSnapshot(new WebAssembly.Instance(new WebAssembly.Module(wasm(MEMORY)))), null);
});
