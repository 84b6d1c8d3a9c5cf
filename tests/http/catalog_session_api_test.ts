import assert from "node:assert/strict";
import {
  ModelList,
  ProviderList,
  SessionPage,
  SessionReset,
  UsageReport,
} from "../../kernel/types.ts";
import { settle, writeScript } from "../kernel/fixtures.ts";
import { call, withApi } from "./http_fixtures.ts";

const SECRET = "sk-live-0123456789abcdefghijklmnop";

Deno.test("GET /api/models lists the catalog with prices, windows and aliases", async () => {
  await withApi(async (f) => {
    const r = await call(f, "GET", "/api/models", { token: f.tokens.viewer });
    assert.equal(r.status, 200);
    const { models } = ModelList.parse(r.body);
    const mini = models.find((m) => m.id === "gpt-4o-mini");
    assert.equal(mini?.input_usd_per_mtok, 0.15);
    assert.equal(mini?.context_window, 128_000);
    assert.ok(models.some((m) => m.provider === "anthropic"));
  });
});

Deno.test("GET /api/providers says which providers are configured, never a key", async () => {
  await withApi(async (f) => {
    const r = await call(f, "GET", "/api/providers", { token: f.tokens.viewer });
    assert.equal(r.status, 200);
    const { providers } = ProviderList.parse(r.body);
    const byName = Object.fromEntries(providers.map((p) => [p.name, p]));
    assert.equal(byName.openai?.configured, true);
    assert.equal(byName.openai?.api_key_env, "OPENAI_API_KEY");
    assert.equal(byName.openai?.default, true, "a key makes openai the default");
    assert.equal(byName.anthropic?.configured, false);
    assert.equal(byName.offline?.configured, true);
    assert.ok(!r.text.includes(SECRET), "the key never leaves the server");
  }, { env: { OPENAI_API_KEY: SECRET } });
});

Deno.test("GET /api/agents/{id}/session pages back by message id; bad queries are 400", async () => {
  await withApi(async (f) => {
    const agent = f.kernel.agents.spawn({ name: "talker" });
    for (const text of ["one", "two", "three"]) {
      await settle(f.kernel.agents.send(agent.id, text).result, text);
    }
    const last = SessionPage.parse(
      (await call(f, "GET", "/api/agents/talker/session?limit=4", { token: f.tokens.viewer })).body,
    );
    assert.deepEqual(last.messages.map((m) => m.role), ["user", "assistant", "user", "assistant"]);
    assert.equal(last.messages[0]!.text, "two");
    assert.equal(last.next_before, last.messages[0]!.id);
    const earlier = SessionPage.parse(
      (await call(f, "GET", `/api/agents/talker/session?limit=4&before=${last.next_before}`, {
        token: f.tokens.viewer,
      }))
        .body,
    );
    assert.deepEqual(earlier.messages.map((m) => m.text.slice(0, 14)), ["one", "Offline echo: "]);
    assert.equal(earlier.next_before, null, "nothing older");
    for (const query of ["limit=0", "limit=501", "before=abc", "before=-1", "sort=asc"]) {
      const r = await call(f, "GET", `/api/agents/talker/session?${query}`, {
        token: f.tokens.viewer,
      });
      assert.equal(r.status, 400, query);
      assert.equal((r.body.error as { code: string }).code, "invalid_input");
    }
    assert.equal(
      (await call(f, "GET", "/api/agents/ghost/session", { token: f.tokens.viewer })).status,
      404,
    );
  });
});

Deno.test("POST /api/agents/{id}/session/reset starts a new session, keeps the old one, is audited, and waits for idle", async () => {
  await withApi(async (f) => {
    const script = await writeScript(f.dir, {
      // 10 words 400 ms apart: the turn is still running when the reset arrives, even on a
      // loaded box (a hang guard, not a timing).
      turns: [{ match: "slow", steps: [{ text: "a b c d e f g h i j", delay_ms: 400 }] }, {
        match: ".",
        steps: [{ text: "ok" }],
      }],
    });
    const agent = f.kernel.agents.spawn({ name: "r", model: `script:${script}` });
    await settle(f.kernel.agents.send(agent.id, "hi").result, "first turn");
    assert.equal(
      (await call(f, "POST", "/api/agents/r/session/reset", { token: f.tokens.viewer })).status,
      403,
    );

    const running = f.kernel.agents.send(agent.id, "slow please");
    const busy = await call(f, "POST", "/api/agents/r/session/reset", { token: f.tokens.operator });
    assert.equal(busy.status, 409);
    assert.match((busy.body.error as { message: string }).message, /turn running or queued/);
    await settle(running.result, "slow turn");
    const [old] = f.kernel.sessions.list(agent.id, { limit: 10 }).sessions;

    const reset = SessionReset.parse(
      (await call(f, "POST", "/api/agents/r/session/reset", { token: f.tokens.operator })).body,
    );
    assert.equal(reset.previous_session_id, old!.id);
    assert.equal(reset.session.current, true);
    assert.equal(reset.session.message_count, 0);
    const empty = SessionPage.parse(
      (await call(f, "GET", "/api/agents/r/session", { token: f.tokens.viewer })).body,
    );
    assert.deepEqual(empty, { messages: [], next_before: null });
    const kept = f.kernel.sessions.get(agent.id, old!.id);
    assert.equal(kept.message_count, 4, "the old session keeps its messages");
    assert.equal(kept.current, false);
    const [entry] = f.kernel.audit.list({ action: "session.reset" }).entries;
    assert.deepEqual(entry?.detail, {
      previous_session_id: old!.id,
      session_id: reset.session.id,
    });
    assert.match(entry!.actor, /^token:/);
    const next = await settle(f.kernel.agents.send(agent.id, "again").result, "after reset");
    assert.equal(next.status, "completed");
    assert.equal(f.kernel.sessions.get(agent.id, reset.session.id).message_count, 2);
    assert.equal(f.kernel.sessions.get(agent.id, old!.id).message_count, 4);
  });
});

Deno.test("GET /api/usage sums metered calls per agent, model and day", async () => {
  await withApi(async (f) => {
    const script = await writeScript(f.dir, {
      turns: [{
        match: ".",
        steps: [{ text: "ok", usage: { input_tokens: 1000, output_tokens: 10 } }],
      }],
    });
    const a = f.kernel.agents.spawn({ name: "a", model: `script:${script}` });
    const b = f.kernel.agents.spawn({ name: "b", model: `script:${script}` });
    for (const id of [a.id, a.id, b.id]) {
      await settle(f.kernel.agents.send(id, "go").result, "turn");
    }

    const byAgent = UsageReport.parse(
      (await call(f, "GET", "/api/usage", { token: f.tokens.viewer })).body,
    );
    assert.deepEqual(
      byAgent.rows.map((r) => [r.name, r.calls, r.input_tokens, r.output_tokens]).sort(),
      [["a", 2, 2000, 20], ["b", 1, 1000, 10]],
    );
    const byModel = UsageReport.parse(
      (await call(f, "GET", "/api/usage?group=model", { token: f.tokens.viewer })).body,
    );
    assert.deepEqual(byModel.rows.map((r) => [r.key, r.calls]), [[`script:${script}`, 3]]);
    const byDay = UsageReport.parse(
      (await call(f, "GET", "/api/usage?group=day", { token: f.tokens.viewer })).body,
    );
    assert.equal(byDay.rows.length, 1);
    assert.match(byDay.rows[0]!.key, /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(byDay.rows[0]!.calls, 3);
    const future = UsageReport.parse(
      (await call(f, "GET", "/api/usage?since=2999-01-01T00:00:00Z", { token: f.tokens.viewer }))
        .body,
    );
    assert.deepEqual(future.rows, []);
    const onlyB = UsageReport.parse(
      (await call(f, "GET", "/api/usage?group=day&agent=b", { token: f.tokens.viewer })).body,
    );
    assert.equal(onlyB.agent_id, b.id);
    assert.deepEqual(onlyB.rows.map((r) => [r.calls, r.input_tokens]), [[1, 1000]]);
    const unknown = await call(f, "GET", "/api/usage?agent=nobody", { token: f.tokens.viewer });
    assert.equal(unknown.status, 404);
    for (const query of ["group=week", "since=yesterday", "limit=0", "agent=", "who=a"]) {
      assert.equal(
        (await call(f, "GET", `/api/usage?${query}`, { token: f.tokens.viewer })).status,
        400,
        query,
      );
    }
  });
});
