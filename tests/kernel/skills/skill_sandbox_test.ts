import assert from "node:assert/strict";
import { settle, withKernel } from "../fixtures.ts";
import { callTools } from "../tools/fixtures.ts";
import { MISBEHAVING_WASM } from "../sandbox/sandbox_fixtures.ts";
import { writeSkill } from "./skill_fixtures.ts";

const CONFIG = `
[sandbox]
max_fuel = 1000000000000000
memory_pages = 64
`;

Deno.test("spin, hog, ungranted host call and trap are tool errors while a healthy skill call and other agents carry on", async () => {
  await withKernel(async (kernel, dir) => {
    // The same plugin twice: "spinner" (only its spin is called) gets the
    // short watchdog limit under test; "bad", whose calls end by themselves,
    // gets one no loaded machine reaches, so Worker start-up under load never
    // turns host_denied or a trap into a timeout.
    for (const [name, timeout] of [["spinner", 300], ["bad", 60_000]] as const) {
      const src = await writeSkill(dir, {
        name,
        wasm: MISBEHAVING_WASM,
        front: `limits:\n  fuel: 1000000000000000\n  timeout_ms: ${timeout}`,
      });
      await kernel.skills.install(src, "local");
    }
    const bystander = kernel.agents.spawn({ name: "bystander" });
    const turn = callTools(kernel, dir, {
      manifest: { skills: ["spinner", "bad", "textstats"] },
      calls: [
        { name: "spinner_spin" },
        { name: "bad_hog" },
        { name: "bad_remember" },
        { name: "bad_crash" },
        { name: "textstats_analyze", args: { text: "still fine" } },
      ],
    });
    const reply = await settle(kernel.agents.send(bystander.id, "hello there").result, "bystander");
    assert.equal(reply.status, "completed");
    const { result, ends } = await turn;
    assert.equal(result.status, "completed");
    assert.deepEqual(ends.map((e) => e.data.ok), [false, false, false, false, true]);
    assert.match(
      ends[0]!.data.output,
      /skill spinner \(spin\) timeout: .*within 300 ms; its Worker was terminated/,
    );
    assert.match(ends[1]!.data.output, /skill bad \(hog\) memory_exhausted: .* of its 64 pages/);
    assert.match(
      ends[2]!.data.output,
      /skill bad \(remember\) host_denied: host function "kv_get" was not granted/,
    );
    assert.match(ends[3]!.data.output, /skill bad \(crash\) trap: the plugin trapped: unreachable/);
    assert.equal(JSON.parse(ends[4]!.data.output).words, 2);
    assert.ok(kernel.skills.pool.terminated >= 1, "the spinning Worker was terminated");
  }, { config: CONFIG });
});

Deno.test("granted kv_get/kv_set persist per skill; net_fetch goes through the kernel's guarded fetch", async () => {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (req) => new Response(`seen ${new URL(req.url).pathname}`, { headers: { "x-test": "1" } }),
  );
  const port = server.addr.port;
  const fetched: string[] = [];
  try {
    await withKernel(async (kernel, dir) => {
      const src = await writeSkill(dir, {
        name: "keeper",
        wasm: MISBEHAVING_WASM,
        front:
          `host_functions: [kv_get, kv_set, net_fetch]\ncapabilities: ["net_connect:127.0.0.1:${port}"]`,
      });
      await kernel.skills.install(src, "local");
      const manifest = { skills: ["keeper"], capabilities: [`net_connect:127.0.0.1:${port}`] };
      const { ends } = await callTools(kernel, dir, {
        manifest,
        calls: [{ name: "keeper_remember", args: { n: 1 } }],
      });
      assert.deepEqual(JSON.parse(ends[0]!.data.output), { before: null });
      assert.equal(kernel.skills.get("keeper").status, "ready");
      const second = await callTools(kernel, dir, {
        manifest: { ...manifest, name: "caller2" },
        calls: [
          { name: "keeper_remember", args: { n: 2 } },
          { name: "keeper_fetch", args: { url: `http://127.0.0.1:${port}/hello` } },
          { name: "keeper_fetch", args: { url: "http://127.0.0.2:9/x" } },
        ],
      });
      assert.equal(second.ends[0]!.data.output, '{"before":"{"n":1}"}', "the raw value it stored");
      const response = JSON.parse(second.ends[1]!.data.output);
      assert.equal(response.status, 200);
      assert.equal(response.body, "seen /hello");
      assert.deepEqual(fetched, [`http://127.0.0.1:${port}/hello`]);
      assert.match(
        second.ends[2]!.data.output,
        /127\.0\.0\.2:9 is not among the skill's net_connect hosts/,
      );
    }, {
      boot: {
        fetchGuarded: async (url, opts) => {
          fetched.push(url);
          const r = await fetch(url, {
            method: opts.method,
            headers: opts.headers,
            body: opts.body,
          });
          return { status: r.status, headers: Object.fromEntries(r.headers), body: await r.text() };
        },
      },
    });
  } finally {
    await server.shutdown();
  }
});

Deno.test("a skill tool needs the skill's capabilities on the calling agent", async () => {
  await withKernel(async (kernel, dir) => {
    const src = await writeSkill(dir, {
      name: "netty",
      wasm: MISBEHAVING_WASM,
      front: `capabilities: ["net_connect:api.example.com"]`,
    });
    await kernel.skills.install(src, "local");
    const { ends } = await callTools(kernel, dir, {
      manifest: { skills: ["netty"] },
      calls: [{ name: "netty_count", args: {} }],
    });
    assert.equal(ends[0]!.data.ok, false);
    assert.match(ends[0]!.data.output, /needs net_connect:api\.example\.com/);
  });
});

Deno.test("a skill call that waits for its Worker still ends with the watchdog's report, not the registry's", async () => {
  await withKernel(async (kernel, dir) => {
    const src = await writeSkill(dir, {
      name: "spinner",
      wasm: MISBEHAVING_WASM,
      front: `limits:\n  fuel: 1000000000000000\n  timeout_ms: 300`,
    });
    await kernel.skills.install(src, "local");
    // A Worker that takes 3 s to start (as on a loaded box): the watchdog's 300 ms
    // start once the call runs, and the registry's own limit must allow for the wait.
    const pool = kernel.skills.pool;
    const run = pool.run.bind(pool);
    pool.run = async (...args) => {
      await new Promise((resolve) => setTimeout(resolve, 3000));
      return await run(...args);
    };
    const { ends } = await callTools(kernel, dir, {
      manifest: { skills: ["spinner"] },
      calls: [{ name: "spinner_spin" }],
    });
    assert.equal(ends[0]!.data.ok, false);
    assert.match(
      ends[0]!.data.output,
      /skill spinner \(spin\) timeout: .*within 300 ms; its Worker was terminated/,
    );
  }, { config: CONFIG });
});
