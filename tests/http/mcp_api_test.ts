import assert from "node:assert/strict";
import { DENO_ENV, FAKE_SERVER, REPO_ROOT } from "../kernel/protocols/mcp_fixtures.ts";
import { call, withApi } from "./http_fixtures.ts";

const FAKE_ENTRY = {
  name: "fake",
  transport: "stdio",
  command: Deno.execPath(),
  args: ["run", "-A", "--frozen", FAKE_SERVER],
  env: DENO_ENV,
  cwd: REPO_ROOT,
};

Deno.test("the MCP server API: viewers list, admins add, test, allow and remove; bad fields are named", async () => {
  await withApi(async (f) => {
    assert.equal((await call(f, "GET", "/api/mcp/servers")).status, 401);
    const empty = await call(f, "GET", "/api/mcp/servers", { token: f.tokens.viewer });
    assert.deepEqual(empty.body, { servers: [] });

    const body = JSON.stringify(FAKE_ENTRY);
    const asOperator = await call(f, "POST", "/api/mcp/servers", {
      token: f.tokens.operator,
      body,
    });
    assert.equal(asOperator.status, 403, "a stdio entry runs a command: admin only");
    const added = await call(f, "POST", "/api/mcp/servers", { token: f.tokens.admin, body });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    assert.equal(added.body.status, "idle");
    const again = await call(f, "POST", "/api/mcp/servers", { token: f.tokens.admin, body });
    assert.equal(again.status, 409);

    const bad = await call(f, "POST", "/api/mcp/servers", {
      token: f.tokens.admin,
      body: JSON.stringify({ name: "Bad-Name", transport: "http", url: "ftp://x" }),
    });
    assert.equal(bad.status, 400);
    const error = bad.body.error as { fields: Record<string, string> };
    assert.deepEqual(Object.keys(error.fields).sort(), ["name", "url"]);

    const tested = await call(f, "POST", "/api/mcp/servers/fake/test", { token: f.tokens.admin });
    assert.equal(tested.status, 200, JSON.stringify(tested.body));
    assert.deepEqual(
      (tested.body.tools as { name: string; original: string }[]).map((t) => [t.name, t.original]),
      [["mcp_fake_die", "die"], ["mcp_fake_add_numbers", "Add.Numbers"]],
    );
    const tools = await call(f, "GET", "/api/mcp/servers/fake/tools", { token: f.tokens.viewer });
    assert.equal(tools.status, 200);

    const missing = await call(f, "GET", "/api/mcp/servers/nope/tools", { token: f.tokens.viewer });
    assert.equal(missing.status, 404);
    const spawn = await call(f, "POST", "/api/agents", {
      token: f.tokens.operator,
      body: JSON.stringify({ name: "uses", mcp_servers: ["fake"] }),
    });
    assert.equal(spawn.status, 201, "a manifest may name a server added at run time");

    const allowed = await call(f, "POST", "/api/mcp/servers/fake/allow", { token: f.tokens.admin });
    assert.equal(allowed.body.allowed, true);
    const removed = await call(f, "DELETE", "/api/mcp/servers/fake", { token: f.tokens.admin });
    assert.deepEqual(removed.body, { removed: "fake" });
    const actions = (await call(f, "GET", "/api/audit/recent?limit=50", { token: f.tokens.admin }))
      .body.entries as { action: string }[];
    for (const action of ["mcp.server.add", "mcp.server.allow", "mcp.server.remove"]) {
      assert.ok(actions.some((e) => e.action === action), action);
    }
  });
});
