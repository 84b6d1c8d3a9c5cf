import assert from "node:assert/strict";
import { withKernel } from "../fixtures.ts";
import { callTools } from "../tools/fixtures.ts";
import { buildPrompt } from "../../../kernel/agent/mod.ts";

Deno.test("bundled skills load, pass their checks and list their tools", async () => {
  await withKernel((kernel) => {
    const skills = kernel.skills.list();
    assert.deepEqual(skills.map((s) => [s.name, s.status, s.source]), [
      ["textstats", "ready", "bundled"],
      ["csvjson", "ready", "bundled"],
      ["extract", "ready", "bundled"],
    ]);
    assert.deepEqual(skills.flatMap((s) => s.tools), [
      "textstats_analyze",
      "csvjson_to_json",
      "extract_all",
    ]);
    const loads = kernel.audit.list({ action: "skill.load" }).entries;
    assert.equal(loads.length, 3);
    assert.ok(loads.every((e) => e.detail.decision === "allowed" && e.detail.sha256));
    kernel.skills.list();
    assert.equal(kernel.audit.list({ action: "skill.load" }).entries.length, 3, "loaded once");
  });
});

Deno.test("the bundled skill tools do real work through the sandbox", async () => {
  await withKernel(async (kernel, dir) => {
    const { ends, result } = await callTools(kernel, dir, {
      manifest: { skills: ["textstats", "csvjson", "extract"] },
      calls: [
        {
          name: "textstats_analyze",
          args: { text: "The cat sat. The cat ran!\nA dog?", top: "2" },
        },
        { name: "csvjson_to_json", args: { csv: 'name,age\n"Doe, Jane",42\nBob,007\n' } },
        {
          name: "extract_all",
          args: { text: "Mail ann@example.com or see https://talon.dev/docs. #edge 42 and 3.5" },
        },
        { name: "csvjson_to_json", args: { csv: "a,b\n1\n" } },
      ],
    });
    assert.deepEqual(JSON.parse(ends[0]!.data.output), {
      characters: 32,
      words: 8,
      lines: 2,
      sentences: 3,
      unique_words: 6,
      average_word_length: 2.75,
      top_words: [{ word: "the", count: 2 }, { word: "cat", count: 2 }],
    });
    assert.deepEqual(JSON.parse(ends[1]!.data.output), {
      columns: ["name", "age"],
      rows: [{ name: "Doe, Jane", age: 42 }, { name: "Bob", age: "007" }],
      row_count: 2,
    });
    assert.deepEqual(JSON.parse(ends[2]!.data.output), {
      emails: ["ann@example.com"],
      urls: ["https://talon.dev/docs"],
      hashtags: ["#edge"],
      numbers: ["42", "3.5"],
    });
    assert.equal(result.reply, "done", "the scripted turn answered after the calls");
    assert.equal(ends[3]!.data.ok, false);
    assert.match(ends[3]!.data.output, /row 2 has 1 fields; the header has 2/);
  });
});

Deno.test("an attached skill's text follows the agent's system prompt", async () => {
  await withKernel((kernel) => {
    const agent = kernel.agents.spawn({
      name: "writer",
      system_prompt: "Be brief.",
      skills: ["textstats"],
    });
    const text = kernel.skills.promptFor(agent.manifest.skills);
    assert.match(text, /^## Skill: textstats\n\nUse `textstats_analyze` when/);
    const [system] = buildPrompt(agent, [], text);
    assert.equal(system?.text, `Be brief.\n\n${text}`);
    assert.deepEqual(kernel.tools.definitions(agent).map((d) => d.name), [
      "system_time",
      "textstats_analyze",
    ]);
  });
});
