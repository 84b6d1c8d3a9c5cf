import assert from "node:assert/strict";
import { withKernel } from "../../fixtures.ts";
import { auditOf, callTools } from "../fixtures.ts";

/** Each built-in tool that needs a capability, a valid call, and what it needs. */
const CASES: { tool: string; args: Record<string, unknown>; needs: string[] }[] = [
  { tool: "file_read", args: { path: "a.txt" }, needs: ["file_read"] },
  { tool: "file_list", args: {}, needs: ["file_read"] },
  { tool: "file_write", args: { path: "a.txt", content: "x" }, needs: ["file_write"] },
  {
    tool: "apply_patch",
    args: { patch: "--- /dev/null\n+++ b/a.txt\n@@ -0,0 +1 @@\n+x\n" },
    needs: ["file_read", "file_write"],
  },
  {
    tool: "web_fetch",
    args: { url: "https://example.com/page" },
    needs: ["net_connect:example.com:443"],
  },
  { tool: "web_search", args: { query: "q" }, needs: ["net_connect:search.example.com:443"] },
  { tool: "shell_exec", args: { command: "true" }, needs: ["shell_exec"] },
  { tool: "memory_store", args: { key: "k", text: "t" }, needs: ["memory_write"] },
  { tool: "memory_recall", args: {}, needs: ["memory_read"] },
  { tool: "agent_spawn", args: { name: "kid" }, needs: ["agent_spawn"] },
  { tool: "agent_kill", args: { agent: "someone" }, needs: ["agent_kill"] },
  { tool: "agent_list", args: {}, needs: ["agent_message"] },
  { tool: "agent_send", args: { agent: "someone", message: "hi" }, needs: ["agent_message"] },
];

const CONFIG = '[tools.web_search]\nprovider = "searxng"\nurl = "https://search.example.com"\n';

for (const { tool, args, needs } of CASES) {
  Deno.test(`${tool} is refused without ${needs.join(" and ")}, and the denial is audited`, async () => {
    await withKernel(async (kernel, dir) => {
      const { result, ends, agentId } = await callTools(kernel, dir, {
        // Every other capability, so only the missing one explains the refusal.
        manifest: { tools: [tool], capabilities: ["net_connect:other.example.org"] },
        calls: [{ name: tool, args }],
      });
      assert.equal(result.status, "completed");
      assert.equal(ends[0]!.data.ok, false);
      assert.match(
        ends[0]!.data.output,
        new RegExp(`needs ${needs.join(", ")}, which agent "caller" does not hold`),
      );
      const denied = auditOf(kernel, "capability.denied").filter((r) => r.agent_id === agentId);
      assert.equal(denied.length, 1);
      assert.deepEqual(denied[0]!.detail?.missing, needs);
      assert.equal(denied[0]!.detail?.tool, tool);
      const call = auditOf(kernel, "tool.call").find((r) => r.agent_id === agentId)!;
      assert.equal(call.detail?.error_code, "capability_denied");
      await assert.rejects(Deno.stat(`${dir}/workspaces/${agentId}/a.txt`), Deno.errors.NotFound);
    }, { config: CONFIG });
  });
}
