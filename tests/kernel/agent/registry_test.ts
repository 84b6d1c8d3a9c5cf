import assert from "node:assert/strict";
import { lifecycleMoves, talonError, withKernel, writeScript } from "../fixtures.ts";

Deno.test("AgentRegistry.spawn() refuses names that are not slugs with invalid_manifest", async () => {
  await withKernel((kernel) => {
    const bad = ["A", "-x", "_x", "has space", "x".repeat(65), "", "dot.name", "émoji"];
    for (const name of bad) {
      assert.throws(
        () => kernel.agents.spawn({ name }),
        talonError("invalid_manifest", /name/),
        JSON.stringify(name),
      );
    }
    assert.equal(kernel.agents.list().length, 0);
    for (const name of ["a", "0", "a-b_c9", "x".repeat(64)]) {
      assert.equal(kernel.agents.spawn({ name }).name, name);
    }
  });
});

Deno.test("AgentRegistry.spawn() refuses garbage manifests with invalid_manifest naming the field", async () => {
  await withKernel((kernel) => {
    assert.throws(() => kernel.agents.spawn(null), talonError("invalid_manifest"));
    assert.throws(() => kernel.agents.spawn("bot"), talonError("invalid_manifest"));
    assert.throws(
      () => kernel.agents.spawn({ name: "bot", colour: "red" }),
      talonError("invalid_manifest", /colour/),
    );
    assert.throws(
      () => kernel.agents.spawn({ name: "bot", capabilities: ["root"] }),
      talonError("invalid_manifest", /capabilities\.0/),
    );
    assert.throws(
      () => kernel.agents.spawn({ name: "bot", max_tokens: -1 }),
      talonError("invalid_manifest", /max_tokens/),
    );
  });
});

Deno.test("AgentRegistry.spawn() refuses a second live agent with the same name (name_taken)", async () => {
  await withKernel((kernel) => {
    kernel.agents.spawn({ name: "bot" });
    assert.throws(() => kernel.agents.spawn({ name: "bot" }), talonError("name_taken", /"bot"/));
    assert.equal(kernel.agents.list().length, 1);
  });
});

Deno.test("AgentRegistry.get() finds agents by id and by name; unknown refs are not_found", async () => {
  await withKernel((kernel) => {
    const a = kernel.agents.spawn({ name: "alpha", description: "first" });
    const b = kernel.agents.spawn({ name: "beta" });
    assert.equal(kernel.agents.get(a.id).name, "alpha");
    assert.equal(kernel.agents.get("alpha").id, a.id);
    assert.equal(kernel.agents.get("beta").id, b.id);
    assert.equal(kernel.agents.get("alpha").description, "first");
    assert.throws(() => kernel.agents.get("gamma"), talonError("not_found", /gamma/));
    assert.throws(() => kernel.agents.get(""), talonError("not_found"));
  });
});

Deno.test("AgentRegistry.spawn() fills provider and model from the offline default", async () => {
  await withKernel((kernel) => {
    const agent = kernel.agents.spawn({ name: "bot" });
    assert.equal(agent.provider, "offline");
    assert.equal(agent.model, "echo");
    assert.equal(agent.manifest.provider, "offline");
    assert.equal(agent.parent_id, null);
  });
});

Deno.test("AgentRegistry.spawn() refuses unknown or unconfigured providers", async () => {
  await withKernel((kernel) => {
    assert.throws(
      () => kernel.agents.spawn({ name: "bot", provider: "nope" }),
      talonError("invalid_manifest", /unknown provider "nope"/),
    );
    assert.throws(
      () => kernel.agents.spawn({ name: "bot", provider: "openai" }),
      talonError("provider_unavailable", /"openai"/),
    );
    assert.equal(kernel.agents.list().length, 0);
  });
});

Deno.test("AgentRegistry.spawn() refuses child capabilities the parent lacks (capability_exceeded)", async () => {
  await withKernel((kernel) => {
    const parent = kernel.agents.spawn({
      name: "parent",
      capabilities: ["file_read", "net_connect:*.example.com", "agent_spawn"],
    });
    const child = kernel.agents.spawn(
      { name: "child", capabilities: ["file_read", "net_connect:api.example.com:443"] },
      { parent: parent.id },
    );
    assert.equal(child.parent_id, parent.id);
    assert.throws(
      () => kernel.agents.spawn({ name: "c2", capabilities: ["file_write"] }, { parent: "parent" }),
      talonError("capability_exceeded", /file_write.*"parent"/),
    );
    assert.throws(
      () =>
        kernel.agents.spawn({ name: "c3", capabilities: ["net_connect:*"] }, {
          parent: parent.id,
        }),
      talonError("capability_exceeded", /net_connect:\*/),
    );
    // A grandchild is bounded by the child, not the grandparent.
    assert.throws(
      () =>
        kernel.agents.spawn({ name: "g", capabilities: ["agent_spawn"] }, {
          parent: child.id,
        }),
      talonError("capability_exceeded"),
    );
    assert.deepEqual(kernel.agents.list().map((a) => a.name).sort(), ["child", "parent"]);
  });
});

Deno.test("AgentRegistry.spawn() refuses an unknown or killed parent", async () => {
  await withKernel((kernel) => {
    assert.throws(
      () => kernel.agents.spawn({ name: "c" }, { parent: "ghost" }),
      talonError("not_found"),
    );
    const parent = kernel.agents.spawn({ name: "p" });
    kernel.agents.kill(parent.id);
    assert.throws(
      () => kernel.agents.spawn({ name: "c" }, { parent: parent.id }),
      talonError("illegal_transition", /killed/),
    );
  });
});

Deno.test("AgentRegistry.spawn() bounds top-level agents by the default max_capabilities", async () => {
  await withKernel((kernel) => {
    for (const cap of ["shell_exec", "env_read:*", "env_read:HOME"]) {
      assert.throws(
        () => kernel.agents.spawn({ name: "bot", capabilities: [cap] }),
        talonError("capability_exceeded", /max_capabilities/),
        cap,
      );
    }
    const ok = kernel.agents.spawn({
      name: "bot",
      capabilities: ["file_read", "net_connect:api.github.com:443", "agent_message"],
    });
    assert.deepEqual(ok.capabilities, [
      "file_read",
      "net_connect:api.github.com:443",
      "agent_message",
    ]);
  });
});

Deno.test("AgentRegistry.spawn() honours max_capabilities from config.toml", async () => {
  await withKernel((kernel) => {
    const agent = kernel.agents.spawn({ name: "sh", capabilities: ["shell_exec"] });
    assert.deepEqual(agent.capabilities, ["shell_exec"]);
    assert.throws(
      () => kernel.agents.spawn({ name: "reader", capabilities: ["file_read"] }),
      talonError("capability_exceeded"),
    );
  }, { config: 'max_capabilities = ["shell_exec"]\n' });
});

Deno.test("AgentRegistry.kill() cascades to children and grandchildren with an event each", async () => {
  await withKernel((kernel) => {
    const parent = kernel.agents.spawn({ name: "parent", capabilities: ["agent_spawn"] });
    const child = kernel.agents.spawn({ name: "child" }, { parent: parent.id });
    const grandchild = kernel.agents.spawn({ name: "grandchild" }, { parent: child.id });
    const bystander = kernel.agents.spawn({ name: "bystander" });
    kernel.agents.pause(child.id, { actor: "test" });
    kernel.agents.kill("parent");
    for (const a of [parent, child, grandchild]) {
      assert.equal(kernel.agents.get(a.id).state, "killed", a.name);
    }
    assert.equal(kernel.agents.get(bystander.id).state, "running");
    assert.equal(lifecycleMoves(kernel, parent.id).at(-1), "running->killed");
    assert.equal(lifecycleMoves(kernel, child.id).at(-1), "paused->killed");
    assert.equal(lifecycleMoves(kernel, grandchild.id).at(-1), "running->killed");
    assert.deepEqual(lifecycleMoves(kernel, bystander.id), [
      "null->created",
      "created->running",
    ]);
  });
});

Deno.test("AgentRegistry.kill() of a child leaves the parent running", async () => {
  await withKernel((kernel) => {
    const parent = kernel.agents.spawn({ name: "parent" });
    const child = kernel.agents.spawn({ name: "child" }, { parent: parent.id });
    kernel.agents.kill(child.id);
    assert.equal(kernel.agents.get(parent.id).state, "running");
    // Killing the parent later must not re-publish a move for the dead child.
    kernel.agents.kill(parent.id);
    assert.equal(lifecycleMoves(kernel, child.id).filter((m) => m.endsWith("killed")).length, 1);
  });
});

Deno.test("a killed agent's name can be reused; lookup by name prefers the live agent", async () => {
  await withKernel((kernel) => {
    const old = kernel.agents.spawn({ name: "bot" });
    kernel.agents.kill(old.id);
    const fresh = kernel.agents.spawn({ name: "bot" });
    assert.notEqual(fresh.id, old.id);
    assert.equal(kernel.agents.get("bot").id, fresh.id);
    assert.equal(kernel.agents.get(old.id).state, "killed");
    assert.throws(() => kernel.agents.spawn({ name: "bot" }), talonError("name_taken"));
  });
});

Deno.test("AgentRegistry.purge() removes killed agents and their messages only", async () => {
  await withKernel(async (kernel) => {
    const doomed = kernel.agents.spawn({ name: "doomed" });
    const other = kernel.agents.spawn({ name: "other" });
    const keeper = kernel.agents.spawn({ name: "keeper" });
    await kernel.agents.send(doomed.id, "hello there").result;
    await kernel.agents.send(keeper.id, "hi").result;
    kernel.agents.kill(doomed.id);
    kernel.agents.kill(other.id);
    assert.equal(kernel.agents.purge({ actor: "test" }), 2);
    assert.throws(() => kernel.agents.get(doomed.id), talonError("not_found"));
    assert.throws(() => kernel.agents.get(other.id), talonError("not_found"));
    const count = (table: string, agentId: string) =>
      (kernel.db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE agent_id = ?`).get(
        agentId,
      ) as { n: number }).n;
    assert.equal(count("messages", doomed.id), 0);
    assert.equal(count("turns", doomed.id), 0);
    assert.equal(count("messages", keeper.id), 2);
    assert.equal(kernel.agents.get("keeper").state, "running");
    assert.equal(kernel.agents.purge({ actor: "test" }), 0, "a second purge finds nothing");
    const purged = kernel.bus.replay(0, { types: ["agent.purged"], limit: 10 });
    assert.deepEqual(purged.map((e) => e.data), [{ count: 2 }]);
  });
});

Deno.test("AgentRegistry.purge() removes killed descendants and counts each removed agent", async () => {
  await withKernel((kernel) => {
    const parent = kernel.agents.spawn({ name: "parent" });
    const child = kernel.agents.spawn({ name: "child" }, { parent: parent.id });
    kernel.agents.spawn({ name: "grandchild" }, { parent: child.id });
    kernel.agents.kill(parent.id);
    const removed = kernel.agents.purge({ actor: "test" });
    assert.equal(kernel.agents.list().length, 0, "all three records are gone");
    // The count (and the agent.purged event) must report every removed agent,
    // not only rows deleted directly (cascaded FK deletes are not in changes).
    assert.equal(removed, 3);
  });
});

Deno.test("AgentRegistry.send() refuses with queue_full beyond agents.queue_limit", async () => {
  await withKernel(async (kernel, dir) => {
    const script = await writeScript(dir, {
      turns: [{ match: ".", steps: [{ text: "slow reply here", delay_ms: 100 }] }],
    });
    const agent = kernel.agents.spawn({ name: "bot", model: `script:${script}` });
    const first = kernel.agents.send(agent.id, "one");
    const second = kernel.agents.send(agent.id, "two");
    assert.throws(() => kernel.agents.send(agent.id, "three"), talonError("queue_full"));
    assert.equal((await first.result).status, "completed");
    assert.equal((await second.result).status, "completed");
  }, { config: "[agents]\nqueue_limit = 2\n" });
});
