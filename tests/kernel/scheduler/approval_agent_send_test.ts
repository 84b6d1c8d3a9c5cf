import assert from "node:assert/strict";
import { collect, settle, withKernel } from "../fixtures.ts";
import { callTools } from "../tools/fixtures.ts";
import { exists, gatedConfig, spawnWriter } from "./approval_fixtures.ts";

Deno.test("an agent_send caller that gives up while its target waits for approval is told so", async () => {
  await withKernel(async (kernel, dir) => {
    // tools.timeout_ms (5 s) must outlast the writer reaching its approval, which
    // takes a while on a loaded box: the caller gives up only after that.
    const writer = await spawnWriter(kernel, dir);
    const { result, ends } = await callTools(kernel, dir, {
      manifest: { tools: ["agent_send"], capabilities: ["agent_message"] },
      calls: [{ name: "agent_send", args: { agent: "writer", message: "write it" } }],
    });
    assert.equal(result.status, "completed");
    assert.equal(ends[0]!.data.ok, false);
    assert.match(
      ends[0]!.data.output,
      /did not finish within 5000 ms: agent "writer" is waiting for a person to approve its call to "file_write" \(approval [0-9a-f-]+, expires /,
    );
    // The target keeps waiting; its request is decided as usual and its turn finishes.
    const [request] = kernel.approvals.list({ status: "pending", agent: writer.id });
    assert.ok(request, "the target's request is still pending");
    const events = collect(kernel.agents.turnEvents(request.turn_id));
    kernel.approvals.approve(request.id, { actor: "token:op" });
    const done = (await settle(events, "the writer's turn")).at(-1)!;
    assert.equal((done.data as { status: string }).status, "completed");
    assert.equal(await exists(writer.file), true);
  }, { config: gatedConfig().replace("[approvals]", "[tools]\ntimeout_ms = 5000\n[approvals]") });
});
