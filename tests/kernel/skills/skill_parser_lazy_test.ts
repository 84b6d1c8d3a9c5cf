/**
 * The YAML parser stays off the boot path. The tests share this file's module
 * state (whether the parser loaded), so they run in order.
 */
import assert from "node:assert/strict";
import { parse as parseYaml } from "yaml";
import { frontMatterJson } from "../../../scripts/skill_front_matter.ts";
import { BUNDLED_SKILLS, parseSkillMd } from "../../../kernel/skills/mod.ts";
import { skillParserLoaded } from "../../../kernel/skills/skill_md.ts";
import { boot, withKernel, withTempDir } from "../fixtures.ts";
import { writeSkill } from "./skill_fixtures.ts";

Deno.test("a kernel with only bundled skills lists and attaches them without loading the YAML parser", async () => {
  await withKernel((kernel) => {
    assert.deepEqual(kernel.skills.list().map((s) => [s.name, s.status]), [
      ["textstats", "ready"],
      ["csvjson", "ready"],
      ["extract", "ready"],
    ]);
    kernel.skills.attach(["textstats"]);
    assert.equal(skillParserLoaded(), false);
  });
});

Deno.test("parseSkillMd() without a parsed front matter refuses to run before the parser is loaded", () => {
  assert.throws(
    () => parseSkillMd("---\nname: x\n---\nbody", "x/SKILL.md"),
    (e: unknown) => e instanceof TypeError && /await loadSkillParser\(\)/.test(e.message),
  );
});

Deno.test("a kernel booted on a data dir with an installed skill loads the parser and reads it", async () => {
  await withTempDir(async (dir) => {
    const first = await boot(dir);
    try {
      await first.skills.install(await writeSkill(dir, { name: "notes" }), "local");
    } finally {
      await first.close();
    }
    const second = await boot(dir);
    try {
      assert.equal(skillParserLoaded(), true);
      assert.equal(second.skills.get("notes").status, "ready");
    } finally {
      await second.close();
    }
  });
});

Deno.test("each bundled skill's parsed front matter is its SKILL.md's (rerun `deno task build` when not)", () => {
  for (const pkg of BUNDLED_SKILLS) {
    assert.equal(
      JSON.stringify(pkg.frontMatter, null, 2) + "\n",
      frontMatterJson(pkg.skillMd),
      `${pkg.where}/front_matter.json is stale`,
    );
    const text = /^---\r?\n([\s\S]*?)\r?\n---/.exec(pkg.skillMd)![1]!;
    assert.deepEqual(pkg.frontMatter, parseYaml(text));
  }
});
