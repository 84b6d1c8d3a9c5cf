import assert from "node:assert/strict";
import { EventSourceParserStream } from "eventsource-parser/stream";
import { call, withApi } from "./http_fixtures.ts";

Deno.test("the API spawns from JSON and TOML, refuses bad bodies with 400 naming the field, and maps domain errors", async () => {
  await withApi(async (f) => {
    const t = { token: f.tokens.admin };
    const json = await call(f, "POST", "/api/agents", {
      ...t,
      body: JSON.stringify({ name: "j" }),
    });
    assert.equal(json.status, 201);
    assert.equal(json.body.provider, "offline");
    const toml = await call(f, "POST", "/api/agents", {
      ...t,
      body: 'name = "t"\ndescription = "<script>x</script>"',
      type: "application/toml",
    });
    assert.equal(toml.status, 201);
    assert.equal(toml.body.description, "<script>x</script>");
    const cases: [string, string | undefined, number, RegExp][] = [
      ["{not json", undefined, 400, /not valid JSON/],
      [JSON.stringify({ name: "x", extra: 1 }), undefined, 400, /unknown field "extra"/],
      [JSON.stringify({ name: 5 }), undefined, 400, /name:/],
      [JSON.stringify({ name: "x", max_tokens: -1 }), undefined, 400, /max_tokens/],
      ["name = [", "application/toml", 400, /body is not valid TOML at line 1, column/],
      [JSON.stringify({ name: "x" }), "text/plain", 400, /unsupported content-type/],
      [JSON.stringify({ name: "j" }), undefined, 409, /already exists/],
      [
        JSON.stringify({ name: "x", capabilities: ["shell_exec"] }),
        undefined,
        403,
        /max_capabilities/,
      ],
      [JSON.stringify({ name: "x", provider: "nope" }), undefined, 400, /unknown provider "nope"/],
      [JSON.stringify({ name: "x", provider: "openai" }), undefined, 422, /provider "openai"/],
    ];
    for (const [body, type, status, message] of cases) {
      const r = await call(f, "POST", "/api/agents", { ...t, body, type });
      assert.equal(r.status, status, body);
      assert.match((r.body.error as { message: string }).message, message, body);
    }
    assert.equal(f.kernel.agents.list().length, 2, "nothing written by refused requests");
    const big = await call(f, "POST", "/api/agents", {
      ...t,
      body: JSON.stringify({ name: "b", description: "x".repeat(2_000_000) }),
    });
    assert.equal(big.status, 413);
    assert.equal((await call(f, "GET", "/api/agents/nobody", t)).status, 404);
    assert.equal((await call(f, "POST", "/api/agents/j/resume", t)).status, 409);
    assert.equal((await call(f, "GET", "/api/agents?limit=0", t)).status, 400);
    assert.equal((await call(f, "GET", "/api/agents?state=zzz", t)).status, 400);
    const viewerPost = await call(f, "POST", "/api/agents/j/pause", { token: f.tokens.viewer });
    assert.equal(viewerPost.status, 403);
    assert.match((viewerPost.body.error as { message: string }).message, /needs the operator role/);
    assert.equal((await call(f, "GET", "/api/tokens", { token: f.tokens.viewer })).status, 403);
    assert.equal((await call(f, "GET", "/api/agents", { token: f.tokens.viewer })).status, 200);
  });
});

Deno.test("POST /api/agents/{id}/message/stream streams token events in order, then done", async () => {
  await withApi(async (f) => {
    await call(f, "POST", "/api/agents", {
      token: f.tokens.admin,
      body: JSON.stringify({ name: "s" }),
    });
    const res = await fetch(`${f.server.url}/api/agents/s/message/stream`, {
      method: "POST",
      headers: { authorization: `Bearer ${f.tokens.admin}`, "content-type": "application/json" },
      body: JSON.stringify({ text: "stream me please" }),
    });
    assert.equal(res.headers.get("content-type"), "text/event-stream");
    const events = res.body!.pipeThrough(new TextDecoderStream()).pipeThrough(
      new EventSourceParserStream(),
    );
    const seen: { event?: string; id?: string; data: string }[] = [];
    for await (const e of events) seen.push(e);
    const tokens = seen.filter((e) => e.event === "token");
    assert.ok(tokens.length > 5);
    const ids = seen.map((e) => Number(e.id));
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b), "ids increase");
    const done = seen.at(-1)!;
    assert.equal(done.event, "done");
    const result = JSON.parse(done.data);
    assert.equal(result.status, "completed");
    assert.equal(tokens.map((e) => JSON.parse(e.data).text).join(""), result.reply);
    const paused = await call(f, "POST", "/api/agents/s/pause", { token: f.tokens.admin });
    assert.equal(paused.body.state, "paused");
    const refused = await call(f, "POST", "/api/agents/s/message/stream", {
      token: f.tokens.admin,
      body: JSON.stringify({ text: "x" }),
    });
    assert.equal(refused.status, 409);
    const empty = await call(f, "POST", "/api/agents/s/message", {
      token: f.tokens.admin,
      body: JSON.stringify({ text: "" }),
    });
    assert.equal(empty.status, 400);
  });
});
