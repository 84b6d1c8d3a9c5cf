/**
 * Attack suite, system 12: secret redaction. A model that echoes a
 * configured provider key — split across several streamed deltas — must not
 * get any 8-character piece of it to an SSE client, a `/v1` chunk, the event
 * log, the stored session or the audit log.
 *
 * Related attacks elsewhere: tests/kernel/security/redact_test.ts (key shapes
 * in logs, audit and tool output), tests/kernel/llm/provider_errors_test.ts
 * (keys in provider errors).
 *
 * @module
 */
import assert from "node:assert/strict";
import { startFakeOpenAi } from "../fakes/openai_server.ts";
import { type ApiFixture, withApi } from "../http/http_fixtures.ts";

/** Not key-shaped: only its configured value makes it a secret. */
const KEY = "zq7Xv29LmPq4Rt8Wn3Ks6Hd1Yc5Bf0Ju";

function assertNoPiece(where: string, text: string): void {
  for (let i = 0; i + 8 <= KEY.length; i++) {
    const piece = KEY.slice(i, i + 8);
    assert.ok(!text.includes(piece), `${where} carries "${piece}" of the configured key`);
  }
}

async function post(f: ApiFixture, path: string, body: unknown): Promise<string> {
  const res = await fetch(f.server.url + path, {
    method: "POST",
    headers: {
      authorization: `Bearer ${f.tokens.operator}`,
      "content-type": "application/json",
    },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  assert.ok(res.ok, text);
  return text;
}

Deno.test("redaction: a configured key streamed in pieces reaches no SSE frame, /v1 chunk, event or session", async () => {
  const echo = () => ({
    text: [
      "Your key is ",
      KEY.slice(0, 7),
      KEY.slice(7, 15),
      KEY.slice(15, 26),
      KEY.slice(26),
      " ok",
    ],
  });
  await using provider = startFakeOpenAi([
    echo(),
    {
      text: "Calling.",
      toolCalls: [{ id: "c1", name: "system_time", arguments: { note: KEY } }],
    },
    echo(),
    echo(),
  ]);
  await withApi(async (f) => {
    await post(f, "/api/agents", {
      name: "leaky",
      provider: "openai",
      model: "gpt-4o-mini",
      tools: ["system_time"],
    });
    const sse = await post(f, "/api/agents/leaky/message/stream", { text: "say the key" });
    assert.match(sse, /\[REDACTED\]/);
    const tooled = await post(f, "/api/agents/leaky/message/stream", { text: "use a tool" });
    assert.match(tooled, /event: tool_start/);
    const v1 = await post(f, "/v1/chat/completions", {
      model: "leaky",
      stream: true,
      messages: [{ role: "user", content: "say it" }],
    });
    assert.match(v1, /\[REDACTED\]/);
    assert.equal(provider.requests.length, 4);

    const session = await fetch(`${f.server.url}/api/agents/leaky/session`, {
      headers: { authorization: `Bearer ${f.tokens.viewer}` },
    }).then((r) => r.text());
    const events = JSON.stringify(f.kernel.bus.replay(0, { limit: 10_000 }));
    const rows = JSON.stringify(
      f.kernel.db.prepare("SELECT * FROM messages").all(),
    );
    const audit = JSON.stringify(f.kernel.audit.list({ limit: 500 }).entries);
    assert.match(audit, /"tool\.call"/, "the tool call with the key in its arguments is audited");
    for (
      const [where, text] of Object.entries({ sse, tooled, v1, session, events, rows, audit })
    ) {
      assertNoPiece(where, text);
    }
  }, { env: { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: provider.url } });
});
