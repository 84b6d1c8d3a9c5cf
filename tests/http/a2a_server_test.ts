/**
 * Talon's A2A server driven by the official SDK's client over loopback:
 * the public card, an offered agent's card, send, stream (tokens and tool
 * events), cancel, tasks/get, 0.3 method names, role refusals and bad input.
 */
import assert from "node:assert/strict";
import { type AgentCard, type StreamResponse, type Task, TaskState } from "@a2a-js/sdk";
import {
  type Client,
  ClientFactory,
  DefaultAgentCardResolver,
  JsonRpcTransportFactory,
} from "@a2a-js/sdk/client";
import { writeScript } from "../kernel/fixtures.ts";
import { type ApiFixture, call, withApi } from "./http_fixtures.ts";
import { authed, userMessage } from "./a2a_fixtures.ts";

async function clientFor(f: ApiFixture, agent: string, token: string): Promise<Client> {
  const fetchImpl = authed(token);
  const resolver = new DefaultAgentCardResolver({ fetchImpl });
  const card = await resolver.resolve(f.server.url, `/a2a/agents/${agent}/agent-card.json`);
  const factory = new ClientFactory({
    transports: [new JsonRpcTransportFactory({ fetchImpl })],
    cardResolver: resolver,
  });
  return await factory.createFromAgentCard(card);
}

function artifactText(task: Task): string {
  return task.artifacts.flatMap((a) => a.parts).map((p) =>
    p.content?.$case === "text" ? p.content.value : ""
  ).join("");
}

async function rpc(
  f: ApiFixture,
  agent: string,
  body: string,
  options: { token?: string; version?: string } = {},
) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.version) headers["a2a-version"] = options.version;
  return await call(f, "POST", `/a2a/agents/${agent}`, {
    token: options.token ?? f.tokens.operator,
    body,
    headers,
  });
}

Deno.test("A2A cards: the public card lists only agents with a2a = true; an agent's card needs a token", async () => {
  await withApi(async (f) => {
    f.kernel.agents.spawn({ name: "helper", description: "Helps.", a2a: true });
    f.kernel.agents.spawn({ name: "private" });
    f.kernel.agents.spawn({ name: "retired", a2a: true });
    f.kernel.agents.kill("retired");

    const card: AgentCard = await new DefaultAgentCardResolver().resolve(f.server.url);
    assert.equal(card.name, "Talon");
    assert.deepEqual(card.skills.map((s) => s.id), ["helper"]);
    assert.match(card.skills[0]!.description, /\/a2a\/agents\/helper\/agent-card\.json/);
    assert.equal(
      card.securitySchemes.bearer?.scheme?.$case,
      "httpAuthSecurityScheme",
      "bearer auth is declared",
    );

    const anonymous = await call(f, "GET", "/a2a/agents/helper/agent-card.json");
    assert.equal(anonymous.status, 401);
    const own = await new DefaultAgentCardResolver({ fetchImpl: authed(f.tokens.viewer) })
      .resolve(f.server.url, "/a2a/agents/helper/agent-card.json");
    assert.equal(own.name, "helper");
    assert.equal(own.supportedInterfaces[0]!.url, `${f.server.url}/a2a/agents/helper`);
    assert.equal(own.capabilities?.streaming, true);

    const hidden = await call(f, "GET", "/a2a/agents/private/agent-card.json", {
      token: f.tokens.viewer,
    });
    assert.equal(hidden.status, 404);
    assert.match(hidden.text, /not offered over A2A; set a2a = true/);
    const unknown = await rpc(f, "nobody", "{}");
    assert.equal(unknown.status, 404);
    assert.match(unknown.text, /no agent named \\"nobody\\" is offered over A2A/);
  });
});

Deno.test("A2A send: the SDK client gets a completed task with the reply; a viewer reads it with tasks/get", async () => {
  await withApi(async (f) => {
    f.kernel.agents.spawn({ name: "helper", a2a: true });
    const operator = await clientFor(f, "helper", f.tokens.operator);
    const result = await operator.sendMessage(userMessage("hello from a peer"));
    assert.ok(!("messageId" in result), "a task comes back");
    const task = result as Task;
    assert.equal(task.status?.state, TaskState.TASK_STATE_COMPLETED);
    const session = f.kernel.agents.session("helper", { limit: 10 });
    const reply = session.messages.at(-1)!;
    assert.equal(artifactText(task), reply.text, "the reply is the task's artifact");
    const audit = f.kernel.audit.list({ action: "agent.message", limit: 5 }).entries;
    assert.match(audit[0]!.actor, /^token:/, "the message is audited as the token");

    const viewer = await clientFor(f, "helper", f.tokens.viewer);
    const again = await viewer.getTask({ tenant: "", id: task.id, historyLength: undefined });
    assert.equal(again.status?.state, TaskState.TASK_STATE_COMPLETED);
    assert.equal(artifactText(again), artifactText(task));
    await assert.rejects(
      viewer.sendMessage(userMessage("may I?")),
      /needs the operator role; this caller is viewer/,
      "a viewer cannot send",
    );
    await assert.rejects(
      operator.getTask({ tenant: "", id: "no-such-task", historyLength: undefined }),
      /not found/i,
    );
  });
});

Deno.test("A2A stream: the SDK client receives the turn's tool events and its reply in chunks", async () => {
  await withApi(async (f) => {
    const script = await writeScript(f.dir, {
      turns: [{
        match: ".",
        steps: [
          { tool_calls: [{ name: "system_time", args: {} }] },
          { text: "the time is known now and here is a longer answer to stream in chunks" },
        ],
      }],
    });
    f.kernel.agents.spawn({ name: "timer", a2a: true, model: `script:${script}` });
    const client = await clientFor(f, "timer", f.tokens.operator);
    const events: StreamResponse[] = [];
    for await (const event of client.sendMessageStream(userMessage("what time is it?"))) {
      events.push(event);
    }
    const kinds = events.map((e) => e.payload?.$case);
    assert.equal(kinds[0], "task");
    const statuses = events.flatMap((e) =>
      e.payload?.$case === "statusUpdate" ? [e.payload.value] : []
    );
    const tools = statuses.flatMap((s) => s.status?.message ? [s.status.message.metadata] : []);
    assert.deepEqual(tools.map((m) => [m?.talon_event, m?.tool]), [
      ["tool_start", "system_time"],
      ["tool_end", "system_time"],
    ]);
    assert.equal(statuses.at(-1)!.status?.state, TaskState.TASK_STATE_COMPLETED);
    const chunks = events.flatMap((e) =>
      e.payload?.$case === "artifactUpdate" ? [e.payload.value] : []
    );
    assert.ok(chunks.length >= 2, `the reply streams in chunks: ${chunks.length}`);
    const streamed = chunks.filter((c) => !c.lastChunk).map((c) =>
      c.artifact!.parts.map((p) => p.content?.$case === "text" ? p.content.value : "").join("")
    ).join("");
    const final = chunks.at(-1)!;
    assert.equal(final.lastChunk, true);
    const text = final.artifact!.parts[0]!.content;
    assert.equal(text?.$case === "text" ? text.value : "", streamed);
    assert.match(streamed, /longer answer to stream/);
  });
});

Deno.test("A2A cancel: tasks/cancel stops the turn and the stream ends canceled", async () => {
  await withApi(async (f) => {
    const words = Array.from({ length: 200 }, (_, i) => `word${i}`).join(" ");
    const script = await writeScript(f.dir, {
      turns: [{ match: ".", steps: [{ text: words, delay_ms: 50 }] }],
    });
    f.kernel.agents.spawn({ name: "slow", a2a: true, model: `script:${script}` });
    const client = await clientFor(f, "slow", f.tokens.operator);
    const viewer = await clientFor(f, "slow", f.tokens.viewer);
    let taskId = "";
    let canceled: Task | undefined;
    const states: TaskState[] = [];
    for await (const event of client.sendMessageStream(userMessage("talk slowly"))) {
      const p = event.payload;
      if (p?.$case === "task") taskId = p.value.id;
      if (p?.$case === "statusUpdate") states.push(p.value.status!.state);
      if (p?.$case === "artifactUpdate" && canceled === undefined) {
        await assert.rejects(
          viewer.cancelTask({ tenant: "", id: taskId, metadata: undefined }),
          /needs the operator role/,
        );
        canceled = await client.cancelTask({ tenant: "", id: taskId, metadata: undefined });
      }
    }
    assert.ok(canceled, "the stream carried a chunk before it was canceled");
    assert.equal(states.at(-1), TaskState.TASK_STATE_CANCELED);
    const task = await client.getTask({ tenant: "", id: taskId, historyLength: undefined });
    assert.equal(task.status?.state, TaskState.TASK_STATE_CANCELED);
    const turns = f.kernel.audit.list({ action: "agent.stop", limit: 5 }).entries;
    assert.equal(turns.length, 1, "the stop is audited");
    assert.match(turns[0]!.actor, /^token:/);
    assert.ok(artifactText(task).length < words.length, "the turn stopped before its end");
  });
});

Deno.test("A2A 0.3 method names: message/send and tasks/get answer in 0.3 shapes", async () => {
  await withApi(async (f) => {
    f.kernel.agents.spawn({ name: "helper", a2a: true });
    const sent = await rpc(
      f,
      "helper",
      JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "message/send",
        params: {
          message: {
            kind: "message",
            messageId: "m-1",
            role: "user",
            parts: [{ kind: "text", text: "hello in 0.3" }],
          },
        },
      }),
    );
    assert.equal(sent.status, 200, sent.text);
    const task = sent.body.result as { id: string; kind: string; status: { state: string } };
    assert.equal(task.kind, "task");
    assert.equal(task.status.state, "completed");
    const got = await rpc(
      f,
      "helper",
      JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tasks/get", params: { id: task.id } }),
      { token: f.tokens.viewer },
    );
    assert.equal((got.body.result as { id: string }).id, task.id);
  });
});

Deno.test("A2A bad input: malformed JSON, unknown method, oversized body, no token, non-text parts — each refused and Talon keeps serving", async () => {
  await withApi(async (f) => {
    f.kernel.agents.spawn({ name: "helper", a2a: true });
    const malformed = await rpc(f, "helper", "{not json");
    assert.equal(malformed.status, 200);
    assert.equal((malformed.body.error as { code: number }).code, -32700);
    assert.match((malformed.body.error as { message: string }).message, /not valid JSON/);

    const array = await rpc(f, "helper", "[1,2]");
    assert.equal((array.body.error as { code: number }).code, -32600);

    const unknown = await rpc(
      f,
      "helper",
      JSON.stringify({ jsonrpc: "2.0", id: 3, method: "DoMagic", params: {} }),
      { version: "1.0" },
    );
    assert.equal((unknown.body.error as { code: number }).code, -32601);
    assert.equal(unknown.body.id, 3);

    const huge = await rpc(
      f,
      "helper",
      JSON.stringify({ jsonrpc: "2.0", id: 4, method: "SendMessage", pad: "x".repeat(2_000_000) }),
      { version: "1.0" },
    );
    assert.equal(huge.status, 413);
    assert.match(huge.text, /larger than/);

    const anonymous = await fetch(`${f.server.url}/a2a/agents/helper`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 5, method: "GetTask", params: { id: "x" } }),
    });
    assert.equal(anonymous.status, 401);
    await anonymous.body?.cancel();

    const fileOnly = await rpc(
      f,
      "helper",
      JSON.stringify({
        jsonrpc: "2.0",
        id: 6,
        method: "SendMessage",
        params: {
          message: {
            messageId: "m-6",
            role: "ROLE_USER",
            parts: [{ url: "https://example.com/x.png", mediaType: "image/png" }],
          },
        },
      }),
      { version: "1.0" },
    );
    const rejected = (fileOnly.body.result as { task: { status: { state: string } } }).task;
    assert.equal(rejected.status.state, "TASK_STATE_REJECTED", fileOnly.text);
    assert.equal(f.kernel.agents.session("helper", { limit: 5 }).messages.length, 0);

    const wrongVersion = await rpc(
      f,
      "helper",
      JSON.stringify({ jsonrpc: "2.0", id: 7, method: "GetTask", params: { id: "x" } }),
      { version: "9.9" },
    );
    assert.equal((wrongVersion.body.error as { code: number }).code, -32009);

    const health = await call(f, "GET", "/api/health");
    assert.equal(health.status, 200, "Talon keeps serving");
    const client = await clientFor(f, "helper", f.tokens.operator);
    const after = await client.sendMessage(userMessage("still there?"));
    assert.equal((after as Task).status?.state, TaskState.TASK_STATE_COMPLETED);
  });
});
