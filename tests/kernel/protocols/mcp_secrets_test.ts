import assert from "node:assert/strict";
import { createLogger } from "../../../kernel/log.ts";
import * as store from "../../../kernel/store/mod.ts";
import { boot, withTempDir, writeScript } from "../fixtures.ts";
import { denoServer, envWith, FAKE_SERVER } from "./mcp_fixtures.ts";

const HEADER_SECRET = "header-secret-value-0042";
const STDIO_SECRET = "stdio-secret-value-0042";
const ADDED_SECRET = "added-secret-value-0042";

Deno.test("MCP headers_env and stdio env values are secrets: redacted from tool output, events, audit and logs", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(
      `${dir}/config.toml`,
      [
        `max_capabilities = ["mcp:*"]`,
        denoServer("fake", [FAKE_SERVER, "--env"], { env: ["TALON_MCP_STDIO_SECRET"] }),
        `[mcp_servers.remote]`,
        `transport = "http"`,
        `url = "http://127.0.0.1:9/mcp"`,
        `headers_env = { Authorization = "TALON_MCP_HEADER_SECRET" }`,
      ].join("\n"),
    );
    const lines: string[] = [];
    const kernel = await boot(dir, {
      log: createLogger("debug", { sink: (line) => lines.push(line) }),
      env: envWith({
        TALON_MCP_STDIO_SECRET: STDIO_SECRET,
        TALON_MCP_HEADER_SECRET: HEADER_SECRET,
        TALON_MCP_ADDED_SECRET: ADDED_SECRET,
      }),
    });
    try {
      assert.equal(kernel.secrets.redact(`a ${HEADER_SECRET} b`), "a [REDACTED] b");
      assert.equal(kernel.secrets.redact(STDIO_SECRET), "[REDACTED]");
      const home = Deno.env.get("HOME")!;
      assert.equal(kernel.secrets.redact(home), home, "HOME only locates things: not a secret");

      assert.notEqual(kernel.secrets.redact(ADDED_SECRET), "[REDACTED]");
      kernel.mcp.add({
        name: "added",
        transport: "stdio",
        command: "/bin/true",
        env: ["TALON_MCP_ADDED_SECRET"],
      }, { actor: "token:admin" });
      assert.equal(kernel.secrets.redact(ADDED_SECRET), "[REDACTED]", "entries added at run time");

      const script = await writeScript(dir, {
        turns: [{
          match: ".",
          steps: [{ tool_calls: [{ name: "mcp_fake_show_env", args: {} }] }, { text: "done" }],
        }],
      });
      const agent = kernel.agents.spawn({
        name: "peek",
        model: `script:${script}`,
        capabilities: ["mcp:fake"],
        mcp_servers: ["fake"],
      });
      const handle = kernel.agents.send(agent.id, "show me", { chain: [] });
      assert.equal((await handle.result).reply, "done");
      const [end] = store.readEvents(kernel.db, 0, {
        turnId: handle.turn_id,
        types: ["tool_end"],
        limit: 5,
      }).map((e) => e.data as { ok: boolean; output: string });
      assert.equal(end?.ok, true, end?.output);
      assert.match(end!.output, /"TALON_MCP_STDIO_SECRET":"\[REDACTED\]"/);
      const everything = JSON.stringify([
        store.readEvents(kernel.db, 0, { limit: 1000 }),
        kernel.audit.list({ limit: 200 }).entries,
      ]);
      assert.ok(!everything.includes(STDIO_SECRET), "no event or audit entry holds the value");
      const stderr = lines.filter((l) => l.includes("MCP server stderr"));
      assert.ok(stderr.some((l) => l.includes("TALON_MCP_STDIO_SECRET")), "stderr is logged");
      assert.ok(!lines.join("\n").includes(STDIO_SECRET), "but never the value");
    } finally {
      await kernel.close();
    }
  });
});
