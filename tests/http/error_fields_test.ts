import assert from "node:assert/strict";
import { ErrorBody } from "../../kernel/types.ts";
import { type ApiFixture, call, withApi } from "./http_fixtures.ts";

/** Sends `body` and returns the status and the parsed `ErrorBody` error. */
async function refused(
  f: ApiFixture,
  method: string,
  path: string,
  body: string,
  type?: string,
): Promise<{ status: number; error: ErrorBody["error"] }> {
  const res = await call(f, method, path, { token: f.tokens.operator, body, type });
  assert.ok(res.status >= 400, `${method} ${path} ${body} → ${res.status}: ${res.text}`);
  return { status: res.status, error: ErrorBody.parse(res.body).error };
}

/** [body, status, code, fields paths] for spawns refused about particular fields. */
const SPAWN_CASES: [Record<string, unknown>, number, string, string[]][] = [
  [{ name: "Bad Name" }, 400, "invalid_input", ["name"]],
  [{ name: "x", extra: 1, resources: { nope: 2 } }, 400, "invalid_input", [
    "extra",
    "resources.nope",
  ]],
  [{ name: "x", resources: { max_iterations: 0 } }, 400, "invalid_input", [
    "resources.max_iterations",
  ]],
  [{ name: "x", capabilities: ["file_read", "root"] }, 400, "invalid_input", ["capabilities.1"]],
  [{ name: "x", tools: ["system_time", "nope", "gone"] }, 400, "invalid_manifest", [
    "tools.1",
    "tools.2",
  ]],
  [{ name: "x", capabilities: ["memory_read", "shell_exec"] }, 403, "capability_exceeded", [
    "capabilities.1",
  ]],
  [{ name: "x", provider: "nope" }, 400, "invalid_manifest", ["provider"]],
  [{ name: "x", provider: "openai" }, 422, "provider_unavailable", ["provider"]],
  [{ name: "x", skills: ["no-such-skill"] }, 400, "invalid_manifest", ["skills.0"]],
  [{ name: "x", parent: "nobody" }, 404, "not_found", ["parent"]],
  [{ name: "x", schedule: { mode: "periodic", cron: "* * * * *" } }, 400, "invalid_input", [
    "schedule.message",
    "schedule.mode",
  ]],
  [{ name: "x", schedule: { every: "500ms", message: "hi" } }, 400, "invalid_input", [
    "schedule.every",
  ]],
  [{ name: "x", mcp_servers: ["github"] }, 400, "invalid_manifest", ["mcp_servers.0"]],
  [{ name: "x", module: "builtin:other" }, 422, "not_supported", ["module"]],
];

Deno.test("POST /api/agents names the field of every refusal that concerns one, by dotted path", async () => {
  await withApi(async (f) => {
    for (const [body, status, code, paths] of SPAWN_CASES) {
      const r = await refused(f, "POST", "/api/agents", JSON.stringify(body));
      const what = JSON.stringify(body);
      assert.equal(r.status, status, what);
      assert.equal(r.error.code, code, what);
      assert.deepEqual(Object.keys(r.error.fields ?? {}).sort(), paths, what);
      for (const message of Object.values(r.error.fields!)) assert.ok(message.length > 0);
    }
    assert.deepEqual(f.kernel.agents.list(), [], "nothing written by refused spawns");
  });
});

Deno.test("a manifest loaded as TOML is refused with the same paths (not_supported included)", async () => {
  await withApi(async (f) => {
    const toml = [
      ['name = "t"\n[schedule]\nmode = "continuous"\n', 400, ["schedule.message", "schedule.mode"]],
      ['name = "t"\nmcp_servers = ["fs"]\n', 400, ["mcp_servers.0"]],
      ['name = "t"\nmodule = "builtin:x"\n', 422, ["module"]],
      ['name = "t"\ntools = ["nope"]\n', 400, ["tools.0"]],
    ] as const;
    for (const [text, status, paths] of toml) {
      const r = await refused(f, "POST", "/api/agents", text, "application/toml");
      assert.equal(r.status, status, text);
      assert.deepEqual(Object.keys(r.error.fields ?? {}), paths, text);
    }
  });
});

Deno.test("whole-request refusals carry no fields; details pass through", async () => {
  await withApi(async (f) => {
    const first = await call(f, "POST", "/api/agents", {
      token: f.tokens.operator,
      body: JSON.stringify({ name: "taken" }),
    });
    assert.equal(first.status, 201);
    const taken = await refused(f, "POST", "/api/agents", JSON.stringify({ name: "taken" }));
    assert.equal(taken.error.code, "name_taken");
    assert.equal(taken.error.fields, undefined);
    const bad = await refused(f, "POST", "/api/agents", "{not json");
    assert.equal(bad.error.fields, undefined);
    const nothing = await refused(f, "PATCH", "/api/agents/taken", "{}");
    assert.equal(nothing.error.code, "invalid_input");
    assert.equal(nothing.error.fields, undefined, "an empty patch concerns no one field");
    const beyond = await refused(
      f,
      "POST",
      "/api/agents",
      JSON.stringify({ name: "y", capabilities: ["shell_exec"] }),
    );
    assert.deepEqual(beyond.error.details, { missing: ["shell_exec"] });
    const missing = await call(f, "GET", "/api/nowhere", { token: f.tokens.viewer });
    assert.deepEqual(ErrorBody.parse(missing.body), {
      error: { code: "not_found", message: "no route for GET /api/nowhere" },
    });
  });
});

Deno.test("PATCH /api/agents/{id} names the field of each refusal", async () => {
  await withApi(async (f) => {
    const spawn = async (body: Record<string, unknown>) => {
      const res = await call(f, "POST", "/api/agents", {
        token: f.tokens.operator,
        body: JSON.stringify(body),
      });
      assert.equal(res.status, 201, res.text);
      return res.body as { id: string };
    };
    await spawn({ name: "ed", version: "1.2.0", capabilities: ["memory_read", "agent_spawn"] });
    await spawn({ name: "kid", parent: "ed", capabilities: ["memory_read"] });
    const cases: [Record<string, unknown>, number, string, string[]][] = [
      [{ resources: { max_iterations: "x" } }, 400, "invalid_input", ["resources.max_iterations"]],
      [{ name: "renamed" }, 400, "invalid_input", ["name"]],
      [{ tools: ["system_time", "nope"] }, 400, "invalid_manifest", ["tools.1"]],
      [{ capabilities: ["memory_read", "agent_spawn", "shell_exec"] }, 403, "capability_exceeded", [
        "capabilities.2",
      ]],
      [{ capabilities: ["agent_spawn"] }, 403, "capability_exceeded", ["capabilities"]],
      [{ provider: "nope" }, 400, "invalid_manifest", ["provider"]],
      [{ version: "1.0.0" }, 409, "illegal_transition", ["version"]],
      [{ mcp_servers: ["x"] }, 400, "invalid_manifest", ["mcp_servers.0"]],
    ];
    for (const [body, status, code, paths] of cases) {
      const what = JSON.stringify(body);
      const r = await refused(f, "PATCH", "/api/agents/ed", what);
      assert.equal(r.status, status, what);
      assert.equal(r.error.code, code, what);
      assert.deepEqual(Object.keys(r.error.fields ?? {}).sort(), paths, what);
    }
    // An agent with a skill can be edited; an unknown skill is named at skills.N.
    const skill = f.kernel.skills.list()[0]!.name;
    await spawn({ name: "skilled", skills: [skill] });
    const edited = await call(f, "PATCH", "/api/agents/skilled", {
      token: f.tokens.operator,
      body: JSON.stringify({ description: "edited" }),
    });
    assert.equal(edited.status, 200, edited.text);
    const unknownSkill = await refused(
      f,
      "PATCH",
      "/api/agents/skilled",
      JSON.stringify({ skills: [skill, "no-such-skill"] }),
    );
    assert.equal(unknownSkill.error.code, "invalid_manifest");
    assert.deepEqual(Object.keys(unknownSkill.error.fields ?? {}), ["skills.1"]);
    await call(f, "DELETE", "/api/agents/ed", { token: f.tokens.operator });
    const orphan = await refused(
      f,
      "POST",
      "/api/agents",
      JSON.stringify({ name: "late", parent: "ed" }),
    );
    assert.equal(orphan.error.code, "illegal_transition");
    assert.deepEqual(Object.keys(orphan.error.fields ?? {}), ["parent"]);
  });
});
