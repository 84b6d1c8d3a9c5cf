import assert from "node:assert/strict";
import { withKernel } from "../fixtures.ts";
import { memoryAgent } from "./memory_fixtures.ts";

Deno.test("knowledge_query finds neighbours by depth and paths between entities", async () => {
  await withKernel((kernel) => {
    const g = kernel.knowledge;
    const id = memoryAgent(kernel, "kg").id;
    g.add(id, { name: "Ada", type: "person", properties: { born: 1815 } });
    g.add(id, { name: "Acme", type: "company" });
    g.add(id, { name: "Paris", type: "city" });
    g.add(id, { name: "Bob", type: "person" });
    g.relate(id, { from: "Ada", type: "works_at", to: "Acme" });
    g.relate(id, { from: "Acme", type: "located_in", to: "Paris" });
    g.relate(id, { from: "Bob", type: "lives_in", to: "Paris" });
    const near = (depth: number) =>
      g.query(id, { entity: "Ada", depth }).neighbours!.map((e) => [e.name, e.distance]);
    assert.deepEqual(near(1), [["Acme", 1]]);
    assert.deepEqual(near(3), [["Acme", 1], ["Paris", 2], ["Bob", 3]]);
    assert.deepEqual(g.query(id, { entity: "Ada", depth: 3, to: "Bob" }).paths, [
      ["Ada", "-works_at->", "Acme", "-located_in->", "Paris", "<-lives_in-", "Bob"],
    ]);
    assert.deepEqual(g.query(id, { entity: "Ada", depth: 2, to: "Bob" }).paths, []);
    const updated = g.add(id, { name: "Ada", type: "person", properties: { field: "math" } });
    assert.equal(updated.created, false);
    assert.deepEqual(updated.entity.properties, { born: 1815, field: "math" });
    const graph = g.graph(id);
    assert.equal(graph.entities.length, 4);
    assert.equal(graph.relations.length, 3);
    for (const e of graph.entities) assert.ok(e.x >= 0 && e.x <= 1000 && e.y >= 0 && e.y <= 600);
  });
});

Deno.test("the knowledge graph is scoped: private entities stay with their agent", async () => {
  await withKernel((kernel) => {
    const g = kernel.knowledge;
    const a = memoryAgent(kernel, "a").id;
    const b = memoryAgent(kernel, "b").id;
    g.add(a, { name: "Secret", type: "project" });
    g.add(a, { name: "Earth", type: "planet", scope: "shared" });
    g.add(a, { name: "Moon", type: "moon", scope: "shared" });
    g.relate(a, { from: "Moon", type: "orbits", to: "Earth", scope: "shared" });
    assert.throws(() => g.query(b, { entity: "Secret" }), { code: "not_found" });
    assert.deepEqual(g.query(b, { entity: "Earth" }).neighbours!.map((e) => e.name), ["Moon"]);
    assert.deepEqual(g.graph(b).entities.map((e) => e.name).sort(), ["Earth", "Moon"]);
  });
});

Deno.test("bad graph input is refused with the field named, and nothing is written", async () => {
  await withKernel((kernel) => {
    const g = kernel.knowledge;
    const id = memoryAgent(kernel, "bad").id;
    g.add(id, { name: "Ada", type: "person" });
    g.add(id, { name: "Acme", type: "company", scope: "shared" });
    assert.throws(
      () => g.add(id, { name: "", type: "person" }),
      (e: Error & { fields?: object }) =>
        (e as { code?: string }).code === "invalid_input" && "name" in (e.fields ?? {}),
    );
    assert.throws(() => g.add(id, { name: "X", type: "t", extra: 1 }), { code: "invalid_input" });
    assert.throws(() => g.add(id, { name: "X", type: "t", properties: [1] }), {
      code: "invalid_input",
    });
    assert.throws(() => g.relate(id, { from: "Ada", type: "knows", to: "Nobody" }), {
      code: "not_found",
    });
    assert.throws(
      () => g.relate(id, { from: "Ada", type: "works_at", to: "Acme", scope: "shared" }),
      { code: "invalid_input" },
    );
    assert.throws(() => g.query(id, { entity: "Ada", depth: 9 }), { code: "invalid_input" });
    const graph = g.graph(id);
    assert.equal(graph.entities.length, 2);
    assert.equal(graph.relations.length, 0);
  });
});
