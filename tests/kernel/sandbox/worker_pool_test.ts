import assert from "node:assert/strict";
import { WorkerPool } from "../../../kernel/sandbox/mod.ts";
import { callOf, MISBEHAVING, TEST_WORKER_START_MS } from "./sandbox_fixtures.ts";

const noHost = () => Promise.resolve(null);

async function withPool(fn: (pool: WorkerPool) => Promise<void>, maxWorkers = 6): Promise<void> {
  const pool = new WorkerPool({ maxWorkers, startTimeoutMs: TEST_WORKER_START_MS });
  try {
    await fn(pool);
  } finally {
    pool.close();
  }
}

Deno.test("spin, hog, ungranted host call and trap fail clearly while a healthy call succeeds", async () => {
  await withPool(async (pool) => {
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 20);
    try {
      // Only the spin needs the watchdog. The others end by themselves, so
      // they get a limit no loaded machine reaches: five Workers starting at
      // once on a busy box must not turn host_denied or a trap into a timeout.
      const run = (name: string, extra = {}, timeoutMs = 60_000) =>
        pool.run(MISBEHAVING, callOf(name, extra), { timeoutMs, host: noHost });
      const [spin, hog, denied, crash, healthy] = await Promise.all([
        run("spin", { fuel: 10n ** 15n }, 400),
        run("hog"),
        run("remember", { input: "x" }),
        run("crash"),
        run("count", { input: "banana" }),
      ]);
      assert.equal(!spin.ok && spin.kind, "timeout");
      assert.match(
        !spin.ok ? spin.message : "",
        /did not finish within 400 ms; its Worker was terminated/,
      );
      assert.equal(!hog.ok && hog.kind, "memory_exhausted");
      assert.equal(!denied.ok && denied.kind, "host_denied");
      assert.match(!denied.ok ? denied.message : "", /host function "kv_get" was not granted/);
      assert.equal(!crash.ok && crash.kind, "trap");
      assert.match(!crash.ok ? crash.message : "", /unreachable/);
      assert.deepEqual(healthy.ok && healthy.output, '{"a":3}');
      assert.ok(ticks > 3, "the kernel's event loop kept running while plugins misbehaved");
    } finally {
      clearInterval(ticker);
    }
  });
});

Deno.test("a Worker killed by the watchdog is replaced by a fresh one for the next call", async () => {
  await withPool(async (pool) => {
    const first = await pool.run(MISBEHAVING, callOf("count", { input: "a" }), {
      timeoutMs: 60_000,
      host: noHost,
    });
    assert.ok(first.ok);
    assert.equal(pool.size, 1);
    const spin = await pool.run(MISBEHAVING, callOf("spin", { fuel: 10n ** 15n }), {
      timeoutMs: 200,
      host: noHost,
    });
    assert.equal(!spin.ok && spin.kind, "timeout");
    assert.equal(pool.terminated, 1);
    assert.equal(pool.size, 0, "the killed Worker is gone");
    const next = await pool.run(MISBEHAVING, callOf("count", { input: "aa" }), {
      timeoutMs: 60_000,
      host: noHost,
    });
    assert.deepEqual(next.ok && next.output, '{"a":2}');
    assert.equal(pool.size, 1);
  }, 1);
});

Deno.test("a call's limit includes a new Worker's start-up: past it, the starting Worker is terminated", async () => {
  await withPool(async (pool) => {
    // No Worker loads within 1 ms, however idle the machine.
    const early = await pool.run(MISBEHAVING, callOf("count", { input: "a" }), {
      timeoutMs: 1,
      host: noHost,
    });
    assert.equal(!early.ok && early.kind, "timeout");
    assert.equal(pool.terminated, 1);
    assert.equal(pool.size, 0, "the starting Worker is gone");
    const next = await pool.run(MISBEHAVING, callOf("count", { input: "aa" }), {
      timeoutMs: 60_000,
      host: noHost,
    });
    assert.deepEqual(next.ok && next.output, '{"a":2}');
  }, 1);
});

Deno.test("a call waiting for a busy Worker still ends at its limit, and gives up its place in line", async () => {
  await withPool(async (pool) => {
    const controller = new AbortController();
    // The only Worker spins until aborted, so the calls behind it cannot run.
    const spin = pool.run(MISBEHAVING, callOf("spin", { fuel: 10n ** 15n }), {
      timeoutMs: 600_000,
      host: noHost,
      signal: controller.signal,
    });
    // First in line, but with a short limit; the patient call queues behind it.
    const waiting = pool.run(MISBEHAVING, callOf("count", { input: "a" }), {
      timeoutMs: 300,
      host: noHost,
    });
    const patient = pool.run(MISBEHAVING, callOf("count", { input: "aaa" }), {
      timeoutMs: 60_000,
      host: noHost,
    });
    const hasty = await waiting;
    assert.equal(!hasty.ok && hasty.kind, "timeout");
    assert.match(!hasty.ok ? hasty.message : "", /every sandbox Worker stayed busy/);
    controller.abort();
    assert.equal((await spin).ok, false);
    const served = await patient;
    assert.deepEqual(served.ok && served.output, '{"a":3}', "the next in line got the Worker");
  }, 1);
});

Deno.test("an aborted call terminates its Worker at once", async () => {
  await withPool(async (pool) => {
    const controller = new AbortController();
    const pending = pool.run(MISBEHAVING, callOf("spin", { fuel: 10n ** 15n }), {
      timeoutMs: 60_000,
      host: noHost,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 100);
    const result = await pending;
    assert.equal(!result.ok && result.kind, "cancelled");
  });
});

Deno.test("granted host calls are answered by the kernel while the Worker blocks", async () => {
  await withPool(async (pool) => {
    const kv = new Map<string, string>();
    const host = async (fn: string, args: string[]) => {
      await new Promise((r) => setTimeout(r, 10));
      if (fn === "kv_get") return kv.get(args[0]!) ?? null;
      if (fn === "kv_set") kv.set(args[0]!, args[1]!);
      return null;
    };
    const grants = ["kv_get", "kv_set"] as const;
    const one = await pool.run(
      MISBEHAVING,
      callOf("remember", { input: "first", grants: [...grants] }),
      {
        timeoutMs: 60_000,
        host,
      },
    );
    assert.deepEqual(one.ok && JSON.parse(one.output), { before: null });
    const two = await pool.run(
      MISBEHAVING,
      callOf("remember", { input: "second", grants: [...grants] }),
      {
        timeoutMs: 60_000,
        host,
      },
    );
    assert.deepEqual(two.ok && JSON.parse(two.output), { before: "first" });
    assert.equal(kv.get("last"), "second");
    const failing = await pool.run(MISBEHAVING, callOf("remember", { grants: [...grants] }), {
      timeoutMs: 60_000,
      host: () => Promise.reject(new Error("disk on fire")),
    });
    assert.equal(!failing.ok && failing.kind, "plugin_error");
    assert.match(!failing.ok ? failing.message : "", /disk on fire/);
  });
});
