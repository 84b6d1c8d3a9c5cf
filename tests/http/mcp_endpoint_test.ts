import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { type ApiFixture, call, withApi } from "./http_fixtures.ts";

async function connect(f: ApiFixture, token?: string): Promise<Client> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const transport = new StreamableHTTPClientTransport(new URL("/mcp", f.server.url), {
    requestInit: { headers },
  });
  const client = new Client({ name: "talon-test", version: "1.0.0" });
  await client.connect(transport);
  return client;
}

function textOf(result: unknown): string {
  const content = (result as { content: { type: string; text: string }[] }).content;
  return content.map((c) => c.text).join("");
}

Deno.test("POST /mcp: the SDK client initializes, lists Talon's tools and calls an agent", async () => {
  await withApi(async (f) => {
    f.kernel.agents.spawn({ name: "echo", description: "Echoes." });
    f.kernel.agents.spawn({ name: "gone" });
    f.kernel.agents.kill("gone");
    const client = await connect(f, f.tokens.operator);
    try {
      assert.equal(client.getServerVersion()?.name, "talon");
      const { tools } = await client.listTools();
      const names = tools.map((t: { name: string }) => t.name).sort();
      assert.deepEqual(names, [
        "talon_agent_echo",
        "talon_list_agents",
        "talon_schedule_add",
        "talon_spawn_agent",
      ]);
      const echo = tools.find((t: { name: string }) => t.name === "talon_agent_echo")!;
      assert.deepEqual(echo.inputSchema.required, ["text"]);

      const reply = await client.callTool({
        name: "talon_agent_echo",
        arguments: { text: "hello there" },
      });
      assert.notEqual(reply.isError, true, textOf(reply));
      assert.ok(textOf(reply).length > 0, "the agent's reply comes back");
      const session = f.kernel.agents.get("echo");
      assert.equal(session.name, "echo");
      const audit = f.kernel.audit.list({ action: "agent.message", limit: 5 }).entries;
      assert.equal(audit.length, 1, "the message is audited");
      assert.match(audit[0]!.actor, /^token:/);

      const listed = await client.callTool({ name: "talon_list_agents", arguments: {} });
      const agents = JSON.parse(textOf(listed)) as { name: string }[];
      assert.deepEqual(agents.map((a) => a.name), ["echo"], "killed agents are left out");

      const spawned = await client.callTool({
        name: "talon_spawn_agent",
        arguments: { name: "fresh", system_prompt: "Be fresh." },
      });
      assert.notEqual(spawned.isError, true, textOf(spawned));
      assert.equal(f.kernel.agents.get("fresh").name, "fresh");
      const again = await client.listTools();
      assert.ok(
        again.tools.some((t: { name: string }) => t.name === "talon_agent_fresh"),
        "new agents appear",
      );

      const scheduled = await client.callTool({
        name: "talon_schedule_add",
        arguments: { agent: "echo", every: "1h", message: "tick" },
      });
      assert.notEqual(scheduled.isError, true, textOf(scheduled));
      assert.equal(f.kernel.schedules.list({}).length, 1);
    } finally {
      await client.close();
    }
  });
});

Deno.test("POST /mcp: a viewer lists but is refused a spawn with an MCP error naming operator", async () => {
  await withApi(async (f) => {
    f.kernel.agents.spawn({ name: "echo" });
    const client = await connect(f, f.tokens.viewer);
    try {
      const listed = await client.callTool({ name: "talon_list_agents", arguments: {} });
      assert.notEqual(listed.isError, true);
      await assert.rejects(
        client.callTool({ name: "talon_spawn_agent", arguments: { name: "nope" } }),
        /talon_spawn_agent needs the operator role/,
      );
      await assert.rejects(
        client.callTool({ name: "talon_agent_echo", arguments: { text: "hi" } }),
        /needs the operator role/,
      );
      assert.throws(() => f.kernel.agents.get("nope"), "nothing was spawned");
    } finally {
      await client.close();
    }
  });
});

Deno.test("POST /mcp: no token or a bad one is refused with 401 before any MCP runs", async () => {
  await withApi(async (f) => {
    const unauthorized = (error: Error & { code?: number }) =>
      error.code === 401 && /missing or invalid credentials/.test(error.message);
    await assert.rejects(connect(f), unauthorized);
    await assert.rejects(connect(f, "talon_bogus"), unauthorized);
    const res = await call(f, "POST", "/mcp", {
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    assert.equal(res.status, 401);
    assert.equal((res.body.error as { code: string }).code, "unauthorized");
  });
});

Deno.test("POST /mcp: malformed JSON-RPC, bad arguments and unknown tools get clear errors and Talon keeps serving", async () => {
  await withApi(async (f) => {
    f.kernel.agents.spawn({ name: "echo" });
    const headers = { accept: "application/json, text/event-stream" };
    const garbage = await call(f, "POST", "/mcp", {
      token: f.tokens.operator,
      body: "{not json",
      headers,
    });
    assert.equal(garbage.status, 400);
    assert.equal((garbage.body.error as { code: number }).code, -32700);
    const notRpc = await call(f, "POST", "/mcp", {
      token: f.tokens.operator,
      body: JSON.stringify({ hello: "world" }),
      headers,
    });
    assert.equal(notRpc.status, 400);
    const get = await call(f, "GET", "/mcp", { token: f.tokens.operator, headers });
    assert.equal(get.status, 405);

    const client = await connect(f, f.tokens.operator);
    try {
      await assert.rejects(
        client.callTool({ name: "talon_agent_nobody", arguments: { text: "hi" } }),
        /unknown tool "talon_agent_nobody"/,
      );
      await assert.rejects(
        client.callTool({ name: "rm_rf", arguments: {} }),
        /unknown tool "rm_rf"/,
      );
      const empty = await client.callTool({ name: "talon_agent_echo", arguments: { text: " " } });
      assert.equal(empty.isError, true);
      assert.match(textOf(empty), /invalid arguments: text: must not be empty/);
      const badSpawn = await client.callTool({
        name: "talon_spawn_agent",
        arguments: { name: "Bad Name!" },
      });
      assert.equal(badSpawn.isError, true);
      assert.match(textOf(badSpawn), /name/);
      const taken = await client.callTool({
        name: "talon_spawn_agent",
        arguments: { name: "echo" },
      });
      assert.equal(taken.isError, true);
      assert.match(textOf(taken), /name_taken/);
      const reply = await client.callTool({
        name: "talon_agent_echo",
        arguments: { text: "still?" },
      });
      assert.notEqual(reply.isError, true, "Talon keeps serving");
    } finally {
      await client.close();
    }
  });
});
