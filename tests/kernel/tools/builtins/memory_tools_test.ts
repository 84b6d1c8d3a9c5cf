import assert from "node:assert/strict";
import { withKernel } from "../../fixtures.ts";
import { callTools } from "../fixtures.ts";

const MEMORY = { capabilities: ["memory_read", "memory_write"] };

Deno.test("memory_store and memory_recall keep text under keys and find it by key or words", async () => {
  await withKernel(async (kernel, dir) => {
    const { ends } = await callTools(kernel, dir, {
      manifest: MEMORY,
      calls: [
        { name: "memory_store", args: { key: "user.language", text: "prefers French" } },
        { name: "memory_store", args: { key: "user.pet", text: "a cat named 100%_Tom" } },
      ],
    });
    assert.deepEqual(ends.map((e) => e.data.output), [
      'remembered "user.language"',
      'remembered "user.pet"',
    ]);
    const agent = kernel.agents.get("caller");
    const recall = await kernel.tools.execute(
      { id: "1", name: "memory_recall", args: { query: "cat 100%_" } },
      { agent, turnId: "t", signal: new AbortController().signal, chain: [agent.id] },
    );
    assert.deepEqual(JSON.parse(recall.output).entries.map((e: { key: string }) => e.key), [
      "user.pet",
    ]);
    const update = await kernel.tools.execute(
      { id: "2", name: "memory_store", args: { key: "user.language", text: "now German" } },
      { agent, turnId: "t", signal: new AbortController().signal, chain: [agent.id] },
    );
    assert.equal(update.output, 'updated "user.language"');
    const byKey = await kernel.tools.execute(
      { id: "3", name: "memory_recall", args: { key: "user.language" } },
      { agent, turnId: "t", signal: new AbortController().signal, chain: [agent.id] },
    );
    assert.equal(JSON.parse(byKey.output).entries[0].text, "now German");
    const nothing = await kernel.tools.execute(
      { id: "4", name: "memory_recall", args: { query: "percent%" } },
      { agent, turnId: "t", signal: new AbortController().signal, chain: [agent.id] },
    );
    assert.deepEqual(JSON.parse(nothing.output).entries, []);
  });
});

Deno.test("memory is per agent: another agent recalls nothing of it, and purge removes it", async () => {
  await withKernel(async (kernel, dir) => {
    await callTools(kernel, dir, {
      manifest: MEMORY,
      calls: [{ name: "memory_store", args: { key: "k", text: "private" } }],
    });
    const other = await callTools(kernel, dir, {
      manifest: { ...MEMORY, name: "other" },
      calls: [{ name: "memory_recall", args: {} }, { name: "memory_recall", args: { key: "k" } }],
    });
    assert.deepEqual(other.ends.map((e) => JSON.parse(e.data.output).entries), [[], []]);
    kernel.agents.kill("caller");
    kernel.agents.purge({ actor: "test" });
    const rows = kernel.db.prepare("SELECT COUNT(*) AS n FROM memories").get() as { n: number };
    assert.equal(rows.n, 0);
  });
});

Deno.test("an agent without a tools list gets the memory tools only when it holds their capabilities", async () => {
  await withKernel((kernel) => {
    const names = (caps: string[], name: string) =>
      kernel.tools.allowedFor(kernel.agents.spawn({ name, capabilities: caps })).map((t) => t.name);
    assert.deepEqual(names([], "a"), ["system_time"]);
    assert.deepEqual(names(["memory_read"], "b"), [
      "knowledge_query",
      "memory_recall",
      "memory_tool_history",
      "system_time",
    ]);
    assert.deepEqual(names(["memory_read", "memory_write", "file_read"], "c"), [
      "knowledge_add",
      "knowledge_query",
      "knowledge_relate",
      "memory_recall",
      "memory_remember",
      "memory_store",
      "memory_tool_history",
      "system_time",
    ]);
  });
});

Deno.test("memory_remember, memory_recall kind and the knowledge tools work; bad arguments write nothing", async () => {
  await withKernel(async (kernel, dir) => {
    const { ends } = await callTools(kernel, dir, {
      manifest: MEMORY,
      calls: [
        { name: "memory_remember", args: { text: "The user's name is Ada" } },
        { name: "memory_store", args: { key: "user.name", text: "Ada" } },
        { name: "memory_remember", args: { text: "" } },
        { name: "memory_remember", args: { text: "x", scope: "everyone" } },
        { name: "knowledge_add", args: { name: "Ada", type: "person" } },
        { name: "knowledge_relate", args: { from: "Ada", type: "knows", to: "Nobody" } },
        { name: "knowledge_query", args: { entity: "Ada", depth: 0 } },
        { name: "memory_tool_history", args: { tool: "NOT A TOOL" } },
      ],
    });
    const outputs = ends.map((e) => e.data);
    assert.match(String(outputs[0]!.output), /^remembered fact \d+ \(agent\)$/);
    for (const i of [2, 3, 5, 6, 7]) assert.equal(outputs[i]!.ok, false, `call ${i}`);
    const agent = kernel.agents.get("caller");
    const ctx = { agent, turnId: "t", signal: new AbortController().signal, chain: [agent.id] };
    const recall = async (args: Record<string, unknown>) =>
      JSON.parse(
        (await kernel.tools.execute({ id: "r", name: "memory_recall", args }, ctx)).output,
      );
    const all = await recall({ query: "Ada" });
    assert.deepEqual(all.entries.map((e: { key: string }) => e.key), ["user.name"]);
    assert.deepEqual(all.facts.map((f: { text: string }) => f.text), ["The user's name is Ada"]);
    assert.deepEqual(Object.keys(await recall({ query: "Ada", kind: "kv" })), ["entries"]);
    assert.deepEqual(Object.keys(await recall({ query: "Ada", kind: "facts" })), ["facts"]);
    assert.equal(kernel.memory.listFacts(agent.id, {}).facts.length, 1);
    assert.equal(kernel.knowledge.graph(agent.id).entities.length, 1);
    const history = JSON.parse(
      (await kernel.tools.execute(
        { id: "h", name: "memory_tool_history", args: {} },
        ctx,
      )).output,
    );
    const byTool = Object.fromEntries(
      history.tools.map((t: { tool: string; failures: number }) => [t.tool, t.failures]),
    );
    assert.equal(byTool.memory_remember, 2);
    assert.equal(byTool.knowledge_add, 0);
  });
});
