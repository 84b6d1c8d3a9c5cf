import assert from "node:assert/strict";
import { withTempDir } from "../kernel/fixtures.ts";
import { MISBEHAVING_WASM } from "../kernel/sandbox/sandbox_fixtures.ts";
import { writeSkill } from "../kernel/skills/skill_fixtures.ts";
import { bootQuiet, serveDataDir, talon } from "./cli_fixtures.ts";

async function scenario(dataDir: string, src: string, bad: string): Promise<string[]> {
  const steps = [
    ["skill", "install", src],
    ["skill", "list"],
    ["skill", "show", "probe"],
    ["skill", "list", "--json"],
    ["skill", "install", bad],
    ["skill", "install", src],
    ["skill", "remove", "probe"],
    ["skill", "remove", "probe"],
    ["skill", "show", "nope"],
    ["skill", "install"],
  ];
  const printed: string[] = [];
  for (const step of steps) {
    const r = await talon(dataDir, ...step);
    printed.push(`$ ${step.join(" ")}\n[${r.code}]\n${r.out + r.err}`.replaceAll(src, "<src>"));
  }
  return printed;
}

Deno.test("talon skill install|list|show|remove: same output in-process and through a server", async () => {
  await withTempDir(async (root) => {
    const src = await writeSkill(root, {
      name: "probe",
      wasm: MISBEHAVING_WASM,
      body: "Probe things.",
    });
    const bad = await writeSkill(root, {
      name: "bad",
      wasm: MISBEHAVING_WASM,
      sha256: "f".repeat(64),
    });
    const local = await scenario(`${root}/local`, src, bad);
    const dataDir = `${root}/served`;
    const kernel = await bootQuiet(dataDir);
    const stopServing = await serveDataDir(kernel, dataDir);
    let remote: string[];
    try {
      remote = await scenario(dataDir, src, bad);
      assert.equal(kernel.audit.list({ action: "skill.install" }).entries.length, 2);
      assert.equal(kernel.audit.list({ action: "skill.remove" }).entries.length, 1);
    } finally {
      await stopServing();
    }
    assert.deepEqual(remote, local);
    assert.match(
      local[0]!,
      /\[0\]\nInstalled skill probe 1\.0\.0 \(tools: probe_count, probe_spin, /,
    );
    assert.match(local[1]!, /NAME\s+VERSION\s+SOURCE\s+STATUS\s+TOOLS\n/);
    assert.match(local[1]!, /\ntextstats\s+1\.0\.0\s+bundled\s+ready\s+textstats_analyze\n/);
    assert.match(local[1]!, /\nprobe\s+1\.0\.0\s+installed\s+ready\s+probe_count/);
    assert.match(local[2]!, /probe 1\.0\.0 \(installed, ready\)\ntest skill probe\n/);
    assert.match(local[2]!, /\n\nProbe things\.\n$/);
    const listed = JSON.parse(local[3]!.split("\n").slice(2).join("\n"));
    assert.deepEqual(listed.map((s: { name: string }) => s.name), [
      "textstats",
      "csvjson",
      "extract",
      "probe",
    ]);
    assert.match(local[4]!, /\[1\]\nerror: skill "bad" refused: plugin\.wasm has SHA-256/);
    assert.match(local[5]!, /\[2\]\nerror: skill "probe" is already installed/);
    assert.match(local[6]!, /\[0\]\nRemoved skill probe\.\n/);
    assert.match(local[7]!, /\[1\]\nerror: no installed skill named "probe"/);
    assert.match(local[8]!, /\[1\]\nerror: no skill named "nope"/);
    assert.match(local[9]!, /\[2\]\nerror: [^\n]+\n$/);
  });
});
