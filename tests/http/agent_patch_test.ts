import assert from "node:assert/strict";
import { type ApiFixture, call, withApi } from "./http_fixtures.ts";

function patch(f: ApiFixture, ref: string, body: unknown, token = f.tokens.operator) {
  return call(f, "PATCH", `/api/agents/${ref}`, { token, body: JSON.stringify(body) });
}

async function spawn(f: ApiFixture, body: Record<string, unknown>): Promise<void> {
  const res = await call(f, "POST", "/api/agents", {
    token: f.tokens.operator,
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 201, res.text);
}

Deno.test("PATCH /api/agents/{id} edits the manifest, keeps the name and audits the change", async () => {
  await withApi(async (f) => {
    await spawn(f, { name: "ed", temperature: 0.5, capabilities: ["memory_read"] });
    const res = await patch(f, "ed", {
      description: "Edited <b>desc</b>",
      system_prompt: "Be terse.",
      version: "0.2.0",
      temperature: null,
      capabilities: ["memory_read", "agent_message"],
      resources: { max_tool_calls_per_minute: 5 },
    });
    assert.equal(res.status, 200, res.text);
    const view = (await call(f, "GET", "/api/agents/ed", { token: f.tokens.viewer })).body as {
      name: string;
      description: string;
      capabilities: string[];
      manifest: Record<string, unknown>;
    };
    assert.equal(view.name, "ed");
    assert.equal(view.description, "Edited <b>desc</b>");
    assert.deepEqual(view.capabilities, ["memory_read", "agent_message"]);
    assert.equal(view.manifest.system_prompt, "Be terse.");
    assert.equal(view.manifest.version, "0.2.0");
    assert.equal(view.manifest.temperature, undefined, "null clears a field");
    assert.deepEqual(view.manifest.resources, { max_tool_calls_per_minute: 5 });
    const audit = f.kernel.audit.list({ action: "agent.update", limit: 5 });
    assert.equal(audit.entries.length, 1);
    assert.equal(audit.entries[0]!.actor.startsWith("token:"), true);
    assert.deepEqual(
      (audit.entries[0]!.detail as { fields: string[] }).fields,
      ["capabilities", "description", "resources", "system_prompt", "temperature", "version"],
    );
  });
});

Deno.test("PATCH /api/agents/{id} refuses bad edits with a clear 4xx and changes nothing", async () => {
  await withApi(async (f) => {
    await spawn(f, { name: "p", version: "1.2.0", capabilities: ["agent_spawn", "memory_read"] });
    const child = await call(f, "POST", "/api/agents", {
      token: f.tokens.operator,
      body: JSON.stringify({ name: "kid", parent: "p", capabilities: ["memory_read"] }),
    });
    assert.equal(child.status, 201, child.text);
    const before = JSON.stringify(f.kernel.agents.get("p"));
    const cases: [unknown, number, RegExp][] = [
      [{}, 400, /at least one field/],
      [{ name: "renamed" }, 400, /unknown field "name"/],
      [{ max_tokens: "lots" }, 400, /max_tokens/],
      [{ capabilities: ["teleport"] }, 400, /unknown capability/],
      [{ capabilities: ["shell_exec"] }, 403, /max_capabilities/],
      [{ capabilities: ["agent_spawn"] }, 403, /child agent "kid" holds memory_read/],
      [{ version: "1.1.9" }, 409, /only go up/],
      [{ provider: "nope" }, 400, /unknown provider "nope"/],
      [{ tools: ["no_such_tool"] }, 400, /no_such_tool/],
    ];
    for (const [body, status, pattern] of cases) {
      const res = await patch(f, "p", body);
      assert.equal(res.status, status, `${JSON.stringify(body)}: ${res.text}`);
      assert.match((res.body.error as { message: string }).message, pattern);
    }
    const malformed = await call(f, "PATCH", "/api/agents/p", {
      token: f.tokens.operator,
      body: "{not json",
    });
    assert.equal(malformed.status, 400);
    assert.equal(JSON.stringify(f.kernel.agents.get("p")), before, "nothing written");
    assert.equal(f.kernel.audit.list({ action: "agent.update", limit: 5 }).entries.length, 0);

    assert.equal((await patch(f, "p", { description: "x" }, f.tokens.viewer)).status, 403);
    assert.equal((await patch(f, "ghost", { description: "x" })).status, 404);
    await call(f, "DELETE", "/api/agents/kid", { token: f.tokens.operator });
    assert.equal((await patch(f, "kid", { description: "x" })).status, 409);
  });
});
