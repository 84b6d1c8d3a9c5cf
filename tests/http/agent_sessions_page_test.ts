import assert from "node:assert/strict";
import { settle } from "../kernel/fixtures.ts";
import { type ApiFixture, fetchPage, sessionCookie, withApi } from "./http_fixtures.ts";

function post(f: ApiFixture, path: string, cookie: string, form: Record<string, string>) {
  return fetchPage(f, path, { cookie, form, origin: f.server.url });
}

Deno.test("the agent page lists sessions; its forms compact, start and continue sessions", async () => {
  await withApi(async (f) => {
    const agent = f.kernel.agents.spawn({ name: "pages" });
    for (let i = 0; i < 3; i++) {
      await settle(f.kernel.agents.send(agent.id, `hello ${i}`).result, "turn");
    }
    const path = `/agents/${agent.id}`;
    const viewer = await sessionCookie(f, "viewer");
    const seen = await fetchPage(f, path, { cookie: viewer });
    assert.match(seen.text, /id="sessions-title">Sessions</);
    assert.match(seen.text, /export\?format=md/);
    assert.doesNotMatch(seen.text, /value="compact"/, "viewers get no session forms");

    const operator = await sessionCookie(f, "operator");
    assert.match((await fetchPage(f, path, { cookie: operator })).text, /Compact now/);
    assert.equal((await post(f, path, operator, { action: "compact" })).status, 303);
    const [first] = f.kernel.sessions.list(agent.id, { limit: 5 }).sessions;
    assert.equal(first!.summaries, 1);

    assert.equal((await post(f, path, operator, { action: "new_session" })).status, 303);
    assert.equal(f.kernel.sessions.list(agent.id, { limit: 5 }).sessions.length, 2);
    const bad = await post(f, path, operator, { action: "switch_session", session: "nope" });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /role="alert">pick a session from the list/);
    const back = await post(f, path, operator, { action: "switch_session", session: first!.id });
    assert.equal(back.status, 303);
    assert.equal(f.kernel.sessions.get(agent.id, first!.id).current, true);
  });
});
