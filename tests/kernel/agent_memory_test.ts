import assert from "node:assert/strict";

const PROBE = new URL("../../bench/agent_cost.ts", import.meta.url).pathname;

Deno.test("idle agents are rows: 2,000 more spawned agents keep no JavaScript objects in the kernel", async () => {
  // Its own process (with a GC to call), so no other test file's memory is counted.
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", "--v8-flags=--expose-gc", PROBE, "2500,4500"],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  assert.equal(output.code, 0, "the probe ran to its end");
  const [warm, full] = new TextDecoder().decode(output.stdout).trim().split("\n")
    .map((line) => JSON.parse(line) as { agents: number; heap_used: number });
  assert.equal(full!.agents - warm!.agents, 2000);
  // An object per agent (a queue, a subscriber, a cached view) is hundreds of
  // bytes at least; measured: no growth at all once the bounded caches have
  // filled (the first 2,500, whose heap grows ~1 MB and then stays flat).
  const perAgent = (full!.heap_used - warm!.heap_used) / 2000;
  assert.ok(perAgent < 256, `each idle agent keeps ${perAgent.toFixed(0)} bytes of heap`);
});
