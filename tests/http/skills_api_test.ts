import assert from "node:assert/strict";
import { MISBEHAVING_WASM } from "../kernel/sandbox/sandbox_fixtures.ts";
import { writeSkill } from "../kernel/skills/skill_fixtures.ts";
import { call, withApi } from "./http_fixtures.ts";

Deno.test("GET /api/skills and /api/tools list skills and their tools to a viewer; installs need admin", async () => {
  await withApi(async (f) => {
    assert.equal((await call(f, "GET", "/api/skills")).status, 401);
    const skills = await call(f, "GET", "/api/skills", { token: f.tokens.viewer });
    assert.equal(skills.status, 200);
    const list = skills.body.skills as { name: string; status: string; tools: string[] }[];
    assert.deepEqual(list.map((s) => [s.name, s.status]), [
      ["textstats", "ready"],
      ["csvjson", "ready"],
      ["extract", "ready"],
    ]);
    const tools = await call(f, "GET", "/api/tools", { token: f.tokens.viewer });
    assert.equal(tools.status, 200);
    const byName = new Map(
      (tools.body.tools as { name: string; source: string; capabilities: string[] | null }[])
        .map((t) => [t.name, t]),
    );
    assert.equal(byName.get("system_time")?.source, "builtin");
    assert.equal(byName.get("textstats_analyze")?.source, "skill");
    assert.deepEqual(byName.get("textstats_analyze")?.capabilities, []);

    const src = await writeSkill(f.dir, { name: "probe", wasm: MISBEHAVING_WASM });
    const body = JSON.stringify({ dir: src });
    assert.equal(
      (await call(f, "POST", "/api/skills", { token: f.tokens.operator, body })).status,
      403,
    );
    const installed = await call(f, "POST", "/api/skills", { token: f.tokens.admin, body });
    assert.equal(installed.status, 201);
    assert.equal(installed.body.name, "probe");
    const one = await call(f, "GET", "/api/skills/probe", { token: f.tokens.viewer });
    assert.equal(one.body.source, "installed");
    const bad = await writeSkill(f.dir, {
      name: "bad",
      wasm: MISBEHAVING_WASM,
      sha256: "e".repeat(64),
    });
    const refused = await call(f, "POST", "/api/skills", {
      token: f.tokens.admin,
      body: JSON.stringify({ dir: bad }),
    });
    assert.equal(refused.status, 422);
    assert.equal((refused.body.error as { code: string }).code, "skill_refused");
    assert.equal(
      (await call(f, "POST", "/api/skills", { token: f.tokens.admin, body: "{}" })).status,
      400,
    );
    const removed = await call(f, "DELETE", "/api/skills/probe", { token: f.tokens.admin });
    assert.deepEqual(removed.body, { removed: "probe" });
    assert.equal(
      (await call(f, "GET", "/api/skills/probe", { token: f.tokens.viewer })).status,
      404,
    );
  });
});
