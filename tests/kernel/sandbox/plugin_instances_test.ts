import assert from "node:assert/strict";
import {
  capMemory,
  IDLE_PER_MODULE,
  pluginInstanceCounts,
  runPluginCall,
  WorkerPool,
} from "../../../kernel/sandbox/mod.ts";
import {
  callOf,
  MISBEHAVING,
  MISBEHAVING_WASM,
  TEST_PAGES,
  TEST_WORKER_START_MS,
} from "./sandbox_fixtures.ts";

const CLEAN = { global: 0, memory: 0, var: null };

/** A module of its own, so counts are not mixed with other tests'. */
function freshModule(): WebAssembly.Module {
  return new WebAssembly.Module(capMemory(MISBEHAVING_WASM, TEST_PAGES));
}

function counting<T>(fn: () => Promise<T>): Promise<{ value: T; created: number; reused: number }> {
  const before = pluginInstanceCounts();
  return fn().then((value) => {
    const after = pluginInstanceCounts();
    return { value, created: after.created - before.created, reused: after.reused - before.reused };
  });
}

async function output(module: WebAssembly.Module, name: string, extra = {}): Promise<unknown> {
  const result = await runPluginCall(module, callOf(name, extra));
  assert.ok(result.ok, !result.ok ? `${result.kind}: ${result.message}` : "");
  return JSON.parse(result.output);
}

Deno.test("a reused instance shows no call the state an earlier call left in its globals, memory or variables", async () => {
  const module = freshModule();
  const { value, created, reused } = await counting(async () => {
    const seen = [];
    for (let i = 0; i < 4; i++) {
      seen.push(await output(module, "tally", { input: "x".repeat(i * 8) }));
    }
    return seen;
  });
  assert.deepEqual(value, [CLEAN, CLEAN, CLEAN, CLEAN]);
  assert.equal(created, 1, "one instance served every call");
  assert.equal(reused, 3);
});

Deno.test("runPluginCall() reuses the compiled module: no compile, one instantiation for many calls", async () => {
  const module = freshModule();
  const original = { compile: WebAssembly.compile, instantiate: WebAssembly.instantiate };
  let compiles = 0;
  let instantiations = 0;
  WebAssembly.compile = ((bytes: BufferSource) => (
    compiles++, original.compile(bytes)
  )) as typeof WebAssembly.compile;
  WebAssembly.instantiate = ((...args: Parameters<typeof WebAssembly.instantiate>) => (
    instantiations++, original.instantiate(...args)
  )) as typeof WebAssembly.instantiate;
  try {
    for (let i = 0; i < 20; i++) {
      assert.deepEqual(await output(module, "count", { input: "banana" }), { a: 3 });
    }
  } finally {
    Object.assign(WebAssembly, original);
  }
  assert.equal(compiles, 0);
  assert.equal(instantiations, 1);
});

Deno.test("host calls answer for the call that makes them: grants, bridge and refusals do not carry over", async () => {
  const module = freshModule();
  const grants = ["kv_get", "kv_set"] as const;
  const bridgeOf = (answer: string) => (fn: string) => fn === "kv_get" ? answer : null;
  const first = await runPluginCall(module, callOf("remember", { grants: [...grants] }), {
    bridge: bridgeOf("one"),
  });
  assert.deepEqual(first.ok && JSON.parse(first.output), { before: "one" });
  const refused = await runPluginCall(module, callOf("remember"), { bridge: bridgeOf("two") });
  assert.equal(!refused.ok && refused.kind, "host_denied");
  const third = await runPluginCall(module, callOf("remember", { grants: [...grants] }), {
    bridge: bridgeOf("three"),
  });
  assert.deepEqual(third.ok && JSON.parse(third.output), { before: "three" });
});

Deno.test("traps, fuel exhaustion and memory exhaustion still hold on reused instances, and drop them", async () => {
  const module = freshModule();
  const healthy = await runPluginCall(module, callOf("count", { input: "aaaa" }));
  assert.ok(healthy.ok);
  const failures = [
    { name: "crash", extra: {}, kind: "trap" },
    { name: "spin", extra: { fuel: 100_000n }, kind: "fuel_exhausted" },
    { name: "hog", extra: {}, kind: "memory_exhausted" },
    {
      name: "count",
      extra: { input: "aaaa", fuel: healthy.fuel_used / 2n },
      kind: "fuel_exhausted",
    },
  ];
  for (const { name, extra, kind } of failures) {
    assert.deepEqual(await output(module, "tally"), CLEAN);
    const { value: failed, created } = await counting(() =>
      runPluginCall(module, callOf(name, extra))
    );
    assert.equal(!failed.ok && failed.kind, kind, name);
    assert.equal(created, 0, "the failing call ran on the reused instance");
    const { value: next, created: replaced } = await counting(() =>
      runPluginCall(module, callOf("count", { input: "aaaa" }))
    );
    assert.deepEqual(next, healthy, `after ${name}: same output and fuel as before`);
    assert.equal(replaced, 1, `the instance ${name} broke was dropped`);
  }
});

Deno.test("an instance whose memory grew is dropped, so the next call starts from the original size", async () => {
  const module = freshModule();
  const first = await output(module, "grow");
  const { value: second, created } = await counting(() => output(module, "grow"));
  assert.deepEqual(second, first);
  assert.equal(created, 1);
  assert.deepEqual(await output(module, "tally"), CLEAN);
});

Deno.test("overlapping calls of one module never share an instance, and the idle ones stay bounded", async () => {
  const module = freshModule();
  const { value, created } = await counting(() =>
    Promise.all(Array.from({ length: 6 }, () => output(module, "tally")))
  );
  assert.deepEqual(value, Array(6).fill(CLEAN));
  assert.ok(created >= 1);
  const idle = pluginInstanceCounts().idle;
  const more = await Promise.all(Array.from({ length: 6 }, () => output(module, "tally")));
  assert.deepEqual(more, Array(6).fill(CLEAN));
  assert.ok(pluginInstanceCounts().idle - idle <= IDLE_PER_MODULE);
});

Deno.test("a module that is not fuel-instrumented is refused on every call, never cached", async () => {
  const plain = new WebAssembly.Module(
    new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x05, 0x03, 0x01, 0x00, 0x01]),
  );
  for (let i = 0; i < 2; i++) {
    const { value: r, created } = await counting(() => runPluginCall(plain, callOf("count")));
    assert.equal(!r.ok && r.kind, "trap");
    assert.match(!r.ok ? r.message : "", /not fuel-instrumented/);
    assert.equal(created, 1);
  }
});

Deno.test("calls in a sandbox Worker reuse its instance without sharing state, and its watchdog still holds", async () => {
  const pool = new WorkerPool({ maxWorkers: 1, startTimeoutMs: TEST_WORKER_START_MS });
  try {
    const seen = [];
    for (let i = 0; i < 3; i++) {
      const r = await pool.run(MISBEHAVING, callOf("tally"), {
        timeoutMs: 60_000,
        host: () => Promise.resolve(null),
      });
      assert.ok(r.ok);
      seen.push(JSON.parse(r.output));
    }
    assert.deepEqual(seen, [CLEAN, CLEAN, CLEAN]);
    // The watchdog still stops a reused instance's runaway call.
    const spin = await pool.run(MISBEHAVING, callOf("spin", { fuel: 10n ** 15n }), {
      timeoutMs: 200,
      host: () => Promise.resolve(null),
    });
    assert.equal(!spin.ok && spin.kind, "timeout");
    const after = await pool.run(MISBEHAVING, callOf("tally"), {
      timeoutMs: 60_000,
      host: () => Promise.resolve(null),
    });
    assert.deepEqual(after.ok && JSON.parse(after.output), CLEAN);
  } finally {
    pool.close();
  }
});
