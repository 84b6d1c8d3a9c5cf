/**
 * A bounded loopback load test: 100 concurrent SSE streams (message streams
 * across 20 agents, 5 turns each) complete with no lost or repeated events.
 * It stops by itself: every request is aborted after 120 s at the latest.
 */
import assert from "node:assert/strict";
import { EventSourceParserStream } from "eventsource-parser/stream";
import { call, withApi } from "./http_fixtures.ts";

const AGENTS = 20;
const STREAMS = 100;

Deno.test("100 concurrent SSE message streams complete with no lost events", async () => {
  await withApi(async (f) => {
    for (let i = 0; i < AGENTS; i++) {
      const res = await call(f, "POST", "/api/agents", {
        token: f.tokens.operator,
        body: JSON.stringify({ name: `load-${i}` }),
      });
      assert.equal(res.status, 201, res.text);
    }
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new Error("load test deadline")), 120_000);
    try {
      const streams = Array.from({ length: STREAMS }, async (_, n) => {
        const res = await fetch(`${f.server.url}/api/agents/load-${n % AGENTS}/message/stream`, {
          method: "POST",
          headers: {
            authorization: `Bearer ${f.tokens.operator}`,
            "content-type": "application/json",
          },
          body: JSON.stringify({ text: `message number ${n} with a few words to echo back` }),
          signal: deadline.signal,
        });
        assert.equal(res.status, 200);
        const seen: { event?: string; id?: string; data: string }[] = [];
        const events = res.body!.pipeThrough(new TextDecoderStream())
          .pipeThrough(new EventSourceParserStream());
        for await (const event of events) seen.push(event);
        return seen;
      });
      const results = await Promise.all(streams);
      for (const seen of results) {
        const done = seen.at(-1)!;
        assert.equal(done.event, "done");
        const result = JSON.parse(done.data) as { turn_id: string; reply: string; status: string };
        assert.equal(result.status, "completed");
        const tokens = seen.filter((e) => e.event === "token");
        assert.equal(tokens.map((e) => JSON.parse(e.data).text).join(""), result.reply);
        const logged = f.kernel.bus.replay(0, {
          turnId: result.turn_id,
          types: ["token", "done"],
          limit: 10_000,
        });
        assert.deepEqual(
          seen.filter((e) => e.event === "token" || e.event === "done").map((e) => Number(e.id)),
          logged.map((r) => r.id),
          "every logged event arrived once, in order",
        );
      }
      assert.equal(new Set(results.map((s) => JSON.parse(s.at(-1)!.data).turn_id)).size, STREAMS);
    } finally {
      clearTimeout(timer);
    }
    assert.equal(f.kernel.bus.subscriberCount, 0, "every subscription closed");
  });
});
