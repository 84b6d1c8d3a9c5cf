import assert from "node:assert/strict";
import type { TalonEvent } from "../../../../kernel/types.ts";
import { eventsOf, withKernel, writeScript } from "../../fixtures.ts";
import { auditOf, callTools } from "../fixtures.ts";

const PARENT = {
  tools: ["agent_spawn", "agent_kill"],
  capabilities: ["agent_spawn", "agent_kill", "file_read", "net_connect:*.example.com"],
};

Deno.test("agent_spawn creates a child of the caller with a subset of its capabilities", async () => {
  await withKernel(async (kernel, dir) => {
    const { ends, agentId } = await callTools(kernel, dir, {
      manifest: PARENT,
      calls: [{
        name: "agent_spawn",
        args: {
          name: "helper",
          system_prompt: "help",
          capabilities: ["file_read", "net_connect:api.example.com"],
        },
      }],
    });
    assert.equal(ends[0]!.data.ok, true, ends[0]!.data.output);
    const out = JSON.parse(ends[0]!.data.output);
    const child = kernel.agents.get("helper");
    assert.deepEqual(out, {
      id: child.id,
      name: "helper",
      state: "running",
      capabilities: ["file_read", "net_connect:api.example.com"],
    });
    assert.equal(child.parent_id, agentId);
    assert.equal(child.model, kernel.agents.get(agentId).model);
    const spawn = auditOf(kernel, "agent.spawn").find((r) => r.agent_id === child.id)!;
    assert.equal(spawn.actor, `agent:${agentId}`);
  });
});

Deno.test("agent_spawn refuses capabilities the caller lacks (capability inheritance)", async () => {
  await withKernel(async (kernel, dir) => {
    const { ends } = await callTools(kernel, dir, {
      manifest: PARENT,
      calls: [
        { name: "agent_spawn", args: { name: "greedy", capabilities: ["file_write"] } },
        { name: "agent_spawn", args: { name: "wide", capabilities: ["net_connect:*"] } },
        { name: "agent_spawn", args: { name: "shell", capabilities: ["shell_exec"] } },
      ],
    });
    for (const end of ends) {
      assert.equal(end.data.ok, false);
      assert.match(end.data.output, /which its parent "caller" does not hold/);
    }
    assert.deepEqual(kernel.agents.list().map((a) => a.name), ["caller"]);
  });
});

Deno.test("a spawned child can spawn only within what it was given", async () => {
  await withKernel(async (kernel, dir) => {
    const script = await writeScript(dir, {
      turns: [{
        match: "^go$",
        steps: [
          {
            tool_calls: [{
              name: "agent_spawn",
              args: { name: "grandchild", capabilities: ["agent_kill"] },
            }],
          },
          { text: "tried" },
        ],
      }],
    }, "child.json");
    const { ends } = await callTools(kernel, dir, {
      manifest: PARENT,
      calls: [{
        name: "agent_spawn",
        args: {
          name: "child",
          capabilities: ["agent_spawn"],
          tools: ["agent_spawn"],
          model: `script:${script}`,
        },
      }],
    });
    assert.equal(ends[0]!.data.ok, true, ends[0]!.data.output);
    const result = await kernel.agents.send("child", "go").result;
    assert.equal(result.reply, "tried");
    assert.throws(() => kernel.agents.get("grandchild"));
    const [end] = eventsOf(kernel, ["tool_end"], { turnId: result.turn_id }) as TalonEvent<
      "tool_end"
    >[];
    assert.match(end!.data.output, /asks for agent_kill, which its parent "child" does not hold/);
  });
});

Deno.test("agent_kill kills the caller's descendants and nothing else", async () => {
  await withKernel(async (kernel, dir) => {
    const stranger = kernel.agents.spawn({ name: "stranger" });
    const { ends, agentId } = await callTools(kernel, dir, {
      manifest: PARENT,
      calls: [{ name: "agent_spawn", args: { name: "kid" } }],
    });
    assert.equal(ends[0]!.data.ok, true);
    const grandkid = kernel.agents.spawn({ name: "grandkid" }, { parent: "kid" });
    const caller = kernel.agents.get(agentId);
    const ctx = {
      agent: caller,
      turnId: "t",
      signal: new AbortController().signal,
      chain: [agentId],
    };
    const refused = await kernel.tools.execute(
      { id: "1", name: "agent_kill", args: { agent: "stranger" } },
      ctx,
    );
    assert.equal(refused.ok, false);
    assert.match(refused.output, /only kills your own descendants/);
    assert.equal(kernel.agents.get(stranger.id).state, "running");
    const self = await kernel.tools.execute(
      { id: "2", name: "agent_kill", args: { agent: "caller" } },
      ctx,
    );
    assert.equal(self.ok, false);
    const killed = await kernel.tools.execute(
      { id: "3", name: "agent_kill", args: { agent: "kid", reason: "done with it" } },
      ctx,
    );
    assert.equal(killed.output, 'killed agent "kid" and its descendants');
    assert.equal(kernel.agents.get("kid").state, "killed");
    assert.equal(kernel.agents.get(grandkid.id).state, "killed");
    const entry = auditOf(kernel, "agent.kill").at(-1)!;
    assert.equal(entry.actor, `agent:${agentId}`);
    assert.equal(entry.detail?.reason, "done with it");
  });
});
