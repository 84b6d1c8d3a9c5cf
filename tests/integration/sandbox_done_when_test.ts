/**
 * Issue 6's "done when", as one agent turn: an agent granted only
 * `net_connect:*` cannot read a file, reach 169.254.169.254, or exceed its
 * fuel, and a bundled WASM skill does real work for it.
 */
import assert from "node:assert/strict";
import { withKernel } from "../kernel/fixtures.ts";
import { callTools } from "../kernel/tools/fixtures.ts";

Deno.test("an agent with only net_connect:* reads no file, reaches no metadata IP, stops at its fuel, and a bundled skill works for it", async () => {
  await withKernel(async (kernel, dir) => {
    const big = "word ".repeat(200_000);
    const { result, ends } = await callTools(kernel, dir, {
      manifest: {
        capabilities: ["net_connect:*"],
        skills: ["textstats"],
        tools: ["file_read", "web_fetch", "textstats_analyze"],
      },
      before: async (id) => {
        await Deno.mkdir(`${dir}/workspaces/${id}`, { recursive: true });
        await Deno.writeTextFile(`${dir}/workspaces/${id}/secret.txt`, "top secret");
      },
      calls: [
        { name: "file_read", args: { path: "secret.txt" } },
        { name: "web_fetch", args: { url: "http://169.254.169.254/latest/meta-data/" } },
        { name: "textstats_analyze", args: { text: big } },
        { name: "textstats_analyze", args: { text: "Edge boxes run agents. Agents run tools." } },
      ],
    });
    assert.equal(result.status, "completed", "the kernel and the turn carry on");
    const [file, fetch, spin, work] = ends.map((e) => e!.data);
    assert.equal(file!.ok, false);
    assert.match(file!.output, /needs file_read/);
    assert.ok(!file!.output.includes("top secret"));
    assert.equal(fetch!.ok, false);
    assert.match(fetch!.output, /cloud metadata address/);
    assert.equal(spin!.ok, false, spin!.output.slice(0, 300));
    assert.match(spin!.output, /FuelExhausted/);
    assert.equal(work!.ok, true, work!.output);
    const stats = JSON.parse(work!.output);
    assert.equal(stats.words, 7);
    assert.equal(stats.sentences, 2);
  }, { config: "[sandbox]\nfuel = 200000\nmax_fuel = 200000\n" });
});
