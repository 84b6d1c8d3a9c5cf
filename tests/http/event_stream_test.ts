import assert from "node:assert/strict";
import { EventSource } from "eventsource";
import { EventSourceParserStream } from "eventsource-parser/stream";
import { writeScript } from "../kernel/fixtures.ts";
import { type ApiFixture, call, withApi } from "./http_fixtures.ts";

interface SseMessage {
  event?: string;
  id?: string;
  data: string;
}

/** An EventSource that sends the token, as any server-side client would. */
function openEventSource(f: ApiFixture, path: string, token: string): EventSource {
  return new EventSource(f.server.url + path, {
    fetch: (input, init) =>
      fetch(input, {
        ...init,
        headers: { ...init.headers, authorization: `Bearer ${token}` },
      }),
  });
}

/** Reads SSE messages from `res` until `until` says stop (then cancels) or the stream ends. */
async function readSse(
  res: Response,
  until: (seen: SseMessage[]) => boolean = () => false,
): Promise<SseMessage[]> {
  const seen: SseMessage[] = [];
  const reader = res.body!.pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream()).getReader();
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      seen.push(value);
      if (until(seen)) break;
    }
  } finally {
    await reader.cancel();
  }
  return seen;
}

function get(f: ApiFixture, path: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(f.server.url + path, {
    headers: { authorization: `Bearer ${f.tokens.viewer}`, ...headers },
  });
}

async function spawn(f: ApiFixture, body: Record<string, unknown>): Promise<void> {
  const res = await call(f, "POST", "/api/agents", {
    token: f.tokens.operator,
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 201, res.text);
}

Deno.test("GET /api/events/stream follows the bus for one agent and the asked types (EventSource)", async () => {
  await withApi(async (f) => {
    await spawn(f, { name: "a" });
    await spawn(f, { name: "b" });
    const source = openEventSource(
      f,
      "/api/events/stream?agent_id=a&types=token,done",
      f.tokens.viewer,
    );
    const seen: { type: string; id: string; data: Record<string, unknown> }[] = [];
    const finished = Promise.withResolvers<void>();
    for (const type of ["token", "done", "message", "turn.started"]) {
      source.addEventListener(type, (e) => {
        seen.push({ type, id: e.lastEventId, data: JSON.parse(e.data) });
        if (type === "done") finished.resolve();
      });
    }
    const opened = Promise.withResolvers<void>();
    source.onopen = () => opened.resolve();
    await opened.promise;
    await call(f, "POST", "/api/agents/b/message", {
      token: f.tokens.operator,
      body: JSON.stringify({ text: "to b" }),
    });
    await call(f, "POST", "/api/agents/a/message", {
      token: f.tokens.operator,
      body: JSON.stringify({ text: "hello there agent a" }),
    });
    await finished.promise;
    source.close();
    const agentA = f.kernel.agents.get("a").id;
    assert.ok(seen.length > 2);
    assert.ok(seen.every((e) => e.type === "token" || e.type === "done"));
    assert.ok(seen.every((e) => e.data.agent_id === agentA), "only agent a's events");
    const ids = seen.map((e) => Number(e.id));
    assert.deepEqual(ids, [...ids].sort((x, y) => x - y));
    const done = seen.at(-1)!.data as { data: { reply: string } };
    const text = seen.filter((e) => e.type === "token")
      .map((e) => (e.data as { data: { text: string } }).data.text).join("");
    assert.equal(text, done.data.reply);
  });
});

Deno.test("GET /api/events/stream replays after Last-Event-ID exactly once, then goes live", async () => {
  await withApi(async (f) => {
    await spawn(f, { name: "r" });
    await call(f, "POST", "/api/agents/r/message", {
      token: f.tokens.operator,
      body: JSON.stringify({ text: "first turn words" }),
    });
    const all = f.kernel.bus.replay(0, { agentId: f.kernel.agents.get("r").id, limit: 500 });
    const resumeAfter = all[2]!.id;
    const res = await get(f, "/api/events/stream?agent_id=r", {
      "last-event-id": String(resumeAfter),
    });
    assert.equal(res.status, 200);
    const live = call(f, "POST", "/api/agents/r/message", {
      token: f.tokens.operator,
      body: JSON.stringify({ text: "second" }),
    });
    const seen = await readSse(res, (s) => s.filter((m) => m.event === "done").length === 2);
    await live;
    const ids = seen.map((m) => Number(m.id));
    assert.equal(ids[0], all[3]!.id, "resumes right after the given id");
    assert.equal(new Set(ids).size, ids.length, "no event twice");
    assert.deepEqual(ids.slice(0, all.length - 3), all.slice(3).map((e) => e.id));
    assert.equal(JSON.parse(seen.at(-1)!.data).data.status, "completed");
  });
});

Deno.test("GET /api/events/stream announces pruned history and overflow as gap events that a reconnect fills", async () => {
  await withApi(async (f) => {
    await spawn(f, { name: "g" });
    const agentId = f.kernel.agents.get("g").id;
    f.kernel.db.prepare("UPDATE events SET ts = '2000-01-01T00:00:00.000Z' WHERE id <= 2").run();
    f.kernel.pruneEvents();
    const pruned = await readSse(await get(f, "/api/events/stream?after=0"), (s) => s.length >= 1);
    assert.equal(pruned[0]!.event, "gap");
    assert.equal(pruned[0]!.id, undefined, "a gap has no id, so Last-Event-ID stays put");
    assert.deepEqual(JSON.parse(pruned[0]!.data), { from_id: 1, to_id: 2 });

    // A subscriber that does not read falls behind its 16-event buffer.
    const slow = await get(f, `/api/events/stream?agent_id=${agentId}&types=token`);
    const big = "x".repeat(4096);
    for (let i = 0; i < 6000; i++) {
      f.kernel.bus.publish("token", { text: big }, { agentId });
    }
    const seen = await readSse(slow, (s) => s.some((m) => m.event === "gap"));
    const gap = seen.find((m) => m.event === "gap")!;
    const range = JSON.parse(gap.data) as { from_id: number; to_id: number };
    assert.ok(range.to_id >= range.from_id);
    const before = seen.filter((m) => m.event === "token").at(-1)!;
    assert.equal(
      Number(before.id) + 1,
      range.from_id,
      "the gap starts right after the last event sent",
    );
    // Reconnecting from the last id received re-reads the missed range from the log.
    const again = await readSse(
      await get(f, `/api/events/stream?agent_id=${agentId}&types=token`, {
        "last-event-id": before.id!,
      }),
      (s) => Number(s.at(-1)?.id) >= range.to_id,
    );
    const ids = again.map((m) => Number(m.id));
    assert.equal(ids[0], range.from_id);
    assert.equal(ids.at(-1), range.to_id);
    assert.ok(ids.every((id, i) => i === 0 || id === ids[i - 1]! + 1), "no id skipped");
  }, { config: "[events]\nsubscriber_buffer = 16\n" });
});

Deno.test("GET /api/events/stream refuses bad queries and a bad Last-Event-ID with 400", async () => {
  await withApi(async (f) => {
    for (
      const [path, headers, pattern] of [
        ["/api/events/stream?types=token,nonsense", {}, /types/],
        ["/api/events/stream?after=-1", {}, /after/],
        ["/api/events/stream?bogus=1", {}, /unknown field "bogus"/],
        ["/api/events/stream", { "last-event-id": "abc" }, /Last-Event-ID/],
      ] as const
    ) {
      const res = await get(f, path, headers);
      assert.equal(res.status, 400, path);
      const body = await res.json();
      assert.equal(body.error.code, "invalid_input");
      assert.match(body.error.message, pattern);
    }
    const missing = await get(f, "/api/events/stream?agent_id=nobody");
    assert.equal(missing.status, 404);
    await missing.body?.cancel();
    const anonymous = await fetch(`${f.server.url}/api/events/stream`);
    assert.equal(anonymous.status, 401);
    await anonymous.body?.cancel();
  });
});

Deno.test("GET /api/agents/{id}/turns/current/stream re-attaches to a running turn from its start", async () => {
  await withApi(async (f) => {
    // 7 words 600 ms apart: both re-attaching requests arrive while the turn still
    // streams, even on a loaded box.
    const script = await writeScript(f.dir, {
      turns: [{
        match: ".",
        steps: [{ text: "one two three four five six seven", delay_ms: 600 }],
      }],
    });
    await spawn(f, { name: "slow", model: `script:${script}` });
    const idle = await get(f, "/api/agents/slow/turns/current/stream");
    assert.equal(idle.status, 204, "nothing to re-attach to");
    await idle.body?.cancel();

    const first = await fetch(`${f.server.url}/api/agents/slow/message/stream`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${f.tokens.operator}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ text: "go" }),
    });
    // The page "reloads" after two tokens: the first stream is dropped.
    const early = await readSse(first, (s) => s.filter((m) => m.event === "token").length >= 2);
    const lastSeen = early.filter((m) => m.event === "token").at(-1)!.id!;
    const [reattached, resumed] = await Promise.all([
      get(f, "/api/agents/slow/turns/current/stream").then((res) => readSse(res)),
      get(f, "/api/agents/slow/turns/current/stream", { "last-event-id": lastSeen })
        .then((res) => readSse(res)),
    ]);
    assert.equal(reattached[0]!.event, "turn.started");
    assert.equal(JSON.parse(reattached[0]!.data).input, "go");
    const tokens = reattached.filter((m) => m.event === "token");
    assert.deepEqual(
      tokens.slice(0, 2).map((m) => m.id),
      early.filter((m) => m.event === "token").map((m) => m.id),
      "the replay starts from the turn's first token",
    );
    const done = reattached.at(-1)!;
    assert.equal(done.event, "done");
    assert.equal(
      tokens.map((m) => JSON.parse(m.data).text).join(""),
      JSON.parse(done.data).reply,
    );
    assert.deepEqual(
      resumed.map((m) => m.id),
      reattached.filter((m) => Number(m.id) > Number(lastSeen)).map((m) => m.id),
      "resuming after an id sends exactly what follows it",
    );
  });
});
