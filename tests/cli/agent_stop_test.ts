import assert from "node:assert/strict";
import { settle, withTempDir, writeScript } from "../kernel/fixtures.ts";
import { bootQuiet, serveDataDir, talon } from "./cli_fixtures.ts";

Deno.test("talon agent stop aborts the turn in flight through a running server", async () => {
  await withTempDir(async (dir) => {
    const dataDir = `${dir}/data`;
    // 40 words a second apart: the turn is still streaming when the CLI (a whole
    // process, slow to start on a loaded box) stops it.
    const words = Array.from({ length: 40 }, (_, i) => `w${i}`).join(" ");
    const script = await writeScript(dir, {
      turns: [{ match: ".", steps: [{ text: words, delay_ms: 1000 }] }],
    });
    const kernel = await bootQuiet(dataDir);
    const stopServing = await serveDataDir(kernel, dataDir);
    try {
      kernel.agents.spawn({ name: "slow", model: `script:${script}` });
      const idle = await talon(dataDir, "agent", "stop", "slow");
      assert.deepEqual(idle, {
        code: 0,
        out: "No turn was in flight; nothing to stop.\n",
        err: "",
      });

      const handle = kernel.agents.send("slow", "go");
      for await (const e of handle.events()) if (e.type === "token") break;
      // Stopping does not wait for the turn's own end (40 s away): a hang guard well below it.
      const stopped = await settle(
        talon(dataDir, "agent", "stop", "slow", "--json"),
        "stop",
        30_000,
      );
      assert.equal(stopped.code, 0, stopped.err);
      const body = JSON.parse(stopped.out);
      assert.equal(body.stopped, true);
      assert.equal(body.status, "stopped");
      assert.equal(body.turn_id, handle.turn_id);
      const result = await handle.result;
      assert.equal(result.status, "stopped");
      assert.equal(body.reply, result.reply);
      assert.ok(result.reply.startsWith("w0") && !result.reply.includes("w39"));

      const missing = await talon(dataDir, "agent", "stop", "nobody");
      assert.equal(missing.code, 1);
      assert.match(missing.err, /no agent with id or name "nobody"/);
    } finally {
      await stopServing();
    }
  });
});
