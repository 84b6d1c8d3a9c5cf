import assert from "node:assert/strict";
import OpenAI from "openai";
import { startFakeOpenAi } from "../fakes/openai_server.ts";
import { writeScript } from "../kernel/fixtures.ts";
import { type ApiFixture, call, withApi } from "./http_fixtures.ts";

function client(f: ApiFixture, token = f.tokens.operator): OpenAI {
  return new OpenAI({ apiKey: token, baseURL: `${f.server.url}/v1`, maxRetries: 0 });
}

async function spawn(f: ApiFixture, body: Record<string, unknown>): Promise<void> {
  const res = await call(f, "POST", "/api/agents", {
    token: f.tokens.operator,
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 201, res.text);
}

Deno.test("POST /v1/chat/completions: the openai client chats with an agent behind its prompt and tools, leaving its session alone", async () => {
  await using provider = startFakeOpenAi([
    { text: "A stored reply" },
    { text: "Checking.", toolCalls: [{ id: "c1", name: "system_time", arguments: {} }] },
    { text: "All good here", usage: { prompt_tokens: 40, completion_tokens: 3 } },
  ]);
  await withApi(async (f) => {
    await spawn(f, {
      name: "tess",
      provider: "openai",
      model: "gpt-4o-mini",
      system_prompt: "You are Tess.",
      tools: ["system_time"],
    });
    const stored = await call(f, "POST", "/api/agents/tess/message", {
      token: f.tokens.operator,
      body: JSON.stringify({ text: "remember this" }),
    });
    assert.equal(stored.status, 200, stored.text);
    const before = await call(f, "GET", "/api/agents/tess/session", { token: f.tokens.viewer });
    assert.equal((before.body.messages as unknown[]).length, 2);
    const completion = await client(f).chat.completions.create({
      model: "tess",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi" },
        { role: "assistant", content: "Hello" },
        {
          role: "user",
          content: [{ type: "text", text: "What " }, { type: "text", text: "now?" }],
        },
      ],
      temperature: 0.3,
    });
    assert.equal(completion.object, "chat.completion");
    assert.equal(completion.model, "tess");
    assert.match(completion.id, /^chatcmpl-/);
    assert.equal(completion.choices[0]!.message.content, "Checking.\n\nAll good here");
    assert.equal(completion.choices[0]!.finish_reason, "stop");
    assert.ok(completion.usage!.completion_tokens >= 3);

    const sent = provider.requests[1]!.body as Record<string, unknown>;
    assert.deepEqual(sent.messages, [
      { role: "system", content: "You are Tess.\n\nBe brief." },
      { role: "user", content: "Hi" },
      { role: "assistant", content: "Hello" },
      { role: "user", content: "What now?" },
    ]);
    assert.equal(sent.temperature, 0.3);
    const second = (provider.requests[2]!.body as { messages: { role: string }[] }).messages;
    assert.equal(second.at(-1)!.role, "tool", "the agent's own tool ran server-side");

    const after = await call(f, "GET", "/api/agents/tess/session", { token: f.tokens.viewer });
    assert.deepEqual(after.body, before.body, "the agent's session is untouched");
    const agentId = f.kernel.agents.get("tess").id;
    const usage = f.kernel.usage({ group: "agent", limit: 50 });
    assert.equal(usage.rows.find((r) => r.key === agentId)?.calls, 3, "metered as the agent");
    const audit = f.kernel.audit.list({ action: "agent.message", limit: 5 }).entries;
    assert.equal(audit.length, 2);
    assert.equal(audit[0]!.agent_id, agentId);
    assert.equal((audit[0]!.detail as { ephemeral: boolean }).ephemeral, true);
    assert.equal(f.kernel.audit.list({ action: "tool.call", limit: 5 }).entries.length, 1);
  }, { env: { OPENAI_API_KEY: "sk-fake", OPENAI_BASE_URL: provider.url } });
});

Deno.test("POST /v1/chat/completions streams chunks the openai client reassembles, with usage", async () => {
  await withApi(async (f) => {
    const script = await writeScript(f.dir, {
      turns: [{ match: "count", steps: [{ text: "one two three four" }] }],
    });
    await spawn(f, { name: "counter", model: `script:${script}` });
    const stream = await client(f).chat.completions.create({
      model: f.kernel.agents.get("counter").id,
      messages: [{ role: "user", content: "count please" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const deltas: string[] = [];
    const finishes: (string | null)[] = [];
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const chunk of stream) {
      assert.equal(chunk.object, "chat.completion.chunk");
      assert.equal(chunk.model, "counter");
      for (const choice of chunk.choices) {
        if (choice.delta.content) deltas.push(choice.delta.content);
        finishes.push(choice.finish_reason);
      }
      if (chunk.usage) usage = chunk.usage;
    }
    assert.ok(deltas.length >= 4, "streamed in pieces");
    assert.equal(deltas.join(""), "one two three four");
    assert.equal(finishes.at(-1), "stop");
    assert.ok(usage && usage.total_tokens > 0);
  });
});

Deno.test("GET /v1/models lists the running agents an operator may chat with; a viewer may use none", async () => {
  await withApi(async (f) => {
    await spawn(f, { name: "alpha" });
    await spawn(f, { name: "beta" });
    await call(f, "POST", "/api/agents/beta/pause", { token: f.tokens.operator });
    const models = await client(f).models.list();
    assert.deepEqual(models.data.map((m) => m.id), ["alpha"]);
    assert.equal(models.data[0]!.owned_by, "talon");
    const viewer = await client(f, f.tokens.viewer).models.list();
    assert.deepEqual(viewer.data, []);
  });
});

Deno.test("POST /v1/chat/completions refuses bad requests with clear errors and runs nothing", async () => {
  await withApi(async (f) => {
    await spawn(f, { name: "c" });
    const openai = client(f);
    const cases: [Record<string, unknown>, number, RegExp][] = [
      [{ model: "nobody", messages: [{ role: "user", content: "x" }] }, 404, /nobody/],
      [{ model: "c", messages: [] }, 400, /messages/],
      [{ model: "c", messages: [{ role: "assistant", content: "x" }] }, 400, /end with a user/],
      [{ model: "c", messages: [{ role: "robot", content: "x" }] }, 400, /role/],
      [
        {
          model: "c",
          messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "x" } }] }],
        },
        400,
        /only text parts/,
      ],
      [
        {
          model: "c",
          messages: [{ role: "user", content: "x" }],
          tools: [{ type: "function", function: { name: "f" } }],
        },
        400,
        /client-side tools/,
      ],
      [{ model: "c", messages: [{ role: "user", content: "x" }], n: 2 }, 400, /one choice/],
      [{ model: "c", messages: [{ role: "user", content: "x" }], bogus: 1 }, 400, /bogus/],
      [
        {
          model: "c",
          messages: [
            {
              role: "assistant",
              content: null,
              tool_calls: [{ id: "t", type: "function", function: { name: "f", arguments: "{x" } }],
            },
            { role: "user", content: "x" },
          ],
        },
        400,
        /arguments: not valid JSON/,
      ],
    ];
    for (const [body, status, pattern] of cases) {
      await assert.rejects(
        openai.chat.completions.create(body as never),
        (error: InstanceType<typeof OpenAI.APIError>) => {
          assert.equal(error.status, status, JSON.stringify(body));
          assert.match(error.message, pattern);
          return true;
        },
      );
    }
    await call(f, "POST", "/api/agents/c/pause", { token: f.tokens.operator });
    await assert.rejects(
      openai.chat.completions.create({ model: "c", messages: [{ role: "user", content: "x" }] }),
      (error: InstanceType<typeof OpenAI.APIError>) => error.status === 409,
    );
    await assert.rejects(
      client(f, f.tokens.viewer).chat.completions.create({
        model: "c",
        messages: [{ role: "user", content: "x" }],
      }),
      (error: InstanceType<typeof OpenAI.APIError>) =>
        error.status === 403 && /operator/.test(error.message),
    );
    for (const path of ["/v1/models", "/v1/chat/completions"]) {
      const res = await fetch(f.server.url + path, {
        method: path.endsWith("models") ? "GET" : "POST",
      });
      assert.equal(res.status, 401, path);
      await res.body?.cancel();
    }
    assert.equal(f.kernel.audit.list({ action: "agent.message", limit: 5 }).entries.length, 0);
  });
});

Deno.test("POST /v1/chat/completions reports a failed turn with its code, e.g. 402 when the budget refuses", async () => {
  await withApi(async (f) => {
    await spawn(f, { name: "broke", resources: { max_tokens_per_hour: 1 } });
    await assert.rejects(
      client(f).chat.completions.create({
        model: "broke",
        messages: [{ role: "user", content: "spend" }],
      }),
      (error: InstanceType<typeof OpenAI.APIError>) => {
        assert.equal(error.status, 402);
        assert.match(error.message, /budget|cap/i);
        return true;
      },
    );
    const stream = await client(f).chat.completions.create({
      model: "broke",
      messages: [{ role: "user", content: "spend" }],
      stream: true,
    }).catch((error) => error);
    assert.equal(
      (stream as InstanceType<typeof OpenAI.APIError>).status,
      409,
      "paused by the refusal",
    );
  });
});
