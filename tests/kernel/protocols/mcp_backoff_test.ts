import assert from "node:assert/strict";
import { createLogger } from "../../../kernel/log.ts";
import { McpClients } from "../../../kernel/protocols/mod.ts";
import { withKernel } from "../fixtures.ts";

Deno.test("a server that cannot start is retried with backoff doubling from 0.5 s to at most 30 s", async () => {
  await withKernel(async (kernel) => {
    let now = 1_000_000;
    const failures: string[] = [];
    const mcp = new McpClients({
      db: kernel.db,
      audit: kernel.audit,
      log: createLogger("warn", {
        sink: (line) => {
          const record = JSON.parse(line) as { msg: string; error?: string };
          if (record.msg === "MCP server failed") failures.push(record.error ?? "");
        },
      }),
      configured: {
        gone: {
          transport: "stdio",
          command: "/nonexistent/talon-test-mcp-server",
          args: [],
          env: [],
          timeout_s: 60,
        },
      },
      env: () => undefined,
      tools: { register: () => {}, unregister: () => false, has: () => false },
      autostart: true,
      inUse: () => new Set(["gone"]),
      now: () => now,
    });
    try {
      const attempt = async (at: number): Promise<boolean> => {
        now = at;
        const before = failures.length;
        await mcp.connectFor(["gone"], AbortSignal.timeout(60_000));
        return failures.length > before;
      };
      let at = now;
      assert.equal(await attempt(at), true, "the first need starts it");
      assert.match(failures[0]!, /was not found/);
      assert.equal(mcp.get("gone").status, "failed");
      for (const gap of [500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]) {
        assert.equal(await attempt(at + gap - 1), false, `no retry before ${gap} ms`);
        assert.equal(await attempt(at + gap), true, `a retry after ${gap} ms`);
        at += gap;
      }
      await assert.rejects(mcp.test("gone"), /was not found/, "a test retries at once");
    } finally {
      await mcp.close();
    }
  });
});
