import assert from "node:assert/strict";
import { restoreAfterStop } from "../../kernel/agent/agent_restore.ts";
import * as store from "../../kernel/store/mod.ts";
import type { SessionMessage } from "../../kernel/types.ts";
import { writeScript } from "../kernel/fixtures.ts";
import { call, fetchPage, sessionCookie, withApi } from "./http_fixtures.ts";

/** `data-status` and text of each turn of the agent page's conversation, in order. */
function turnsOf(html: string): { status: string; text: string }[] {
  return [...html.matchAll(/<li class="turn" data-status="([^"]+)">([\s\S]*?)<\/li>/g)].map(
    ([, status, body]) => ({ status: status!, text: body!.replace(/<[^>]+>/g, " ") }),
  );
}

Deno.test("a turn a crash cut off before it stored any text shows as interrupted on the agent page, not as a complete turn with no reply", async () => {
  await withApi(async (f) => {
    const script = await writeScript(f.dir, {
      turns: [{ match: ".", steps: [{ text: "w1 w2 w3" }] }],
    });
    const agent = f.kernel.agents.spawn({ name: "talker", model: `script:${script}` });
    // What a kill -9 can leave: a turn marked running whose first token was
    // never stored, and a turn queued behind it. The boot after it restores.
    store.transaction(f.kernel.db, () => {
      store.insertTurn(f.kernel.db, { id: "t-running", agentId: agent.id, input: "slow again" });
      store.startTurn(f.kernel.db, "t-running");
      store.insertTurn(f.kernel.db, { id: "t-queued", agentId: agent.id, input: "and then" });
    });
    const restored = restoreAfterStop({ db: f.kernel.db, bus: f.kernel.bus, log: f.kernel.log });
    assert.equal(restored.interrupted, 2);

    const page = await fetchPage(f, `/agents/${agent.name}`, {
      cookie: await sessionCookie(f, "viewer"),
    });
    assert.equal(page.status, 200);
    const turns = turnsOf(page.text);
    assert.deepEqual(turns.map((t) => t.status), ["interrupted", "interrupted"]);
    for (const turn of turns) {
      assert.match(turn.text, /interrupted/, "the badge says so");
      assert.match(turn.text, /Talon stopped/, "the cut-off note and the error say why");
    }

    const session = await call(f, "GET", `/api/agents/${agent.name}/session?limit=10`, {
      token: f.tokens.viewer,
    });
    assert.equal(session.status, 200);
    const messages = session.body.messages as SessionMessage[];
    assert.deepEqual(
      messages.map((m) => [m.role, m.text, m.turn_status]),
      [["user", "slow again", "interrupted"], ["user", "and then", "interrupted"]],
    );
    assert.match(messages[0]!.turn_error ?? "", /send the message again/);
  });
});

Deno.test("a session page marks only turns that did not complete, and never other messages", async () => {
  await withApi(async (f) => {
    const script = await writeScript(f.dir, {
      turns: [{ match: ".", steps: [{ text: "done." }] }],
    });
    const agent = f.kernel.agents.spawn({ name: "talker", model: `script:${script}` });
    const done = await f.kernel.agents.send(agent.id, "hello").result;
    assert.equal(done.status, "completed");
    const page = f.kernel.agents.session(agent.id, { limit: 10 });
    assert.deepEqual(
      page.messages.map((m) => [m.role, m.turn_status, m.turn_error]),
      [["user", undefined, undefined], ["assistant", undefined, undefined]],
    );
    const html = await fetchPage(f, `/agents/${agent.name}`, {
      cookie: await sessionCookie(f, "viewer"),
    });
    assert.deepEqual(turnsOf(html.text).map((t) => t.status), ["complete"]);
  });
});
