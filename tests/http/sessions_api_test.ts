import assert from "node:assert/strict";
import {
  CompactResult,
  SessionExport,
  SessionList,
  SessionPage,
  SessionView,
} from "../../kernel/types.ts";
import { settle } from "../kernel/fixtures.ts";
import { call, withApi } from "./http_fixtures.ts";

Deno.test("session routes: list, get, label, messages, switch, export and compact", async () => {
  await withApi(async (f) => {
    const agent = f.kernel.agents.spawn({ name: "s" });
    for (let i = 0; i < 3; i++) {
      await settle(f.kernel.agents.send(agent.id, `first ${i}`).result, "turn");
    }
    f.kernel.sessions.reset(agent.id);
    await settle(f.kernel.agents.send(agent.id, "second").result, "turn");
    const op = { token: f.tokens.operator };
    const list = SessionList.parse((await call(f, "GET", "/api/agents/s/sessions", op)).body);
    assert.equal(list.sessions.length, 2);
    const [current, old] = list.sessions;
    assert.equal(current!.current, true);
    const base = `/api/agents/s/sessions/${old!.id}`;
    assert.equal(SessionView.parse((await call(f, "GET", base, op)).body).message_count, 6);

    const labelled = await call(f, "PATCH", base, { ...op, body: '{"label":"  early days "}' });
    assert.equal(SessionView.parse(labelled.body).label, "early days");
    const page = SessionPage.parse((await call(f, "GET", `${base}/messages?limit=2`, op)).body);
    assert.deepEqual(page.messages.map((m) => m.role), ["user", "assistant"]);
    assert.notEqual(page.next_before, null);

    const switched = await call(f, "POST", `${base}/switch`, op);
    assert.equal(SessionView.parse(switched.body).current, true);
    const now = SessionPage.parse((await call(f, "GET", "/api/agents/s/session", op)).body);
    assert.equal(now.messages[0]!.text, "first 0", "GET session means the current one");

    const json = await call(f, "GET", `${base}/export?format=json`, op);
    assert.match(json.headers.get("content-disposition")!, /attachment; filename="s-session-/);
    assert.equal(SessionExport.parse(json.body).messages.length, 6);
    const md = await fetch(`${f.server.url}${base}/export?format=md`, {
      headers: { authorization: `Bearer ${f.tokens.viewer}` },
    });
    assert.match(md.headers.get("content-type")!, /^text\/markdown/);
    assert.match(await md.text(), /^# Session of s — early days/);

    const compact = CompactResult.parse((await call(f, "POST", "/api/agents/s/compact", op)).body);
    assert.equal(compact.compacted, true);
    assert.equal(compact.session_id, old!.id);
    assert.equal(
      (await call(f, "POST", "/api/agents/s/compact", { token: f.tokens.viewer })).status,
      403,
    );
  });
});

Deno.test("session routes refuse bad input with a clear error and change nothing", async () => {
  await withApi(async (f) => {
    const parent = f.kernel.agents.spawn({ name: "p" });
    f.kernel.agents.spawn({ name: "c" }, { parent: parent.id });
    await settle(f.kernel.agents.send(parent.id, "hello").result, "turn");
    const [session] = f.kernel.sessions.list(parent.id, { limit: 5 }).sessions;
    const sid = session!.id;
    const op = { token: f.tokens.operator };
    const cases: [string, string, string | undefined, number, string, string?][] = [
      ["GET", "/api/agents/p/sessions/not-a-uuid", undefined, 400, "invalid_input"],
      ["POST", "/api/agents/p/sessions/123/switch", undefined, 400, "invalid_input"],
      ["GET", `/api/agents/p/sessions/${crypto.randomUUID()}`, undefined, 404, "not_found"],
      ["GET", "/api/agents/ghost/sessions", undefined, 404, "not_found"],
      ["GET", "/api/agents/p/sessions?limit=0", undefined, 400, "invalid_input", "limit"],
      [
        "GET",
        `/api/agents/p/sessions/${sid}/export?format=pdf`,
        undefined,
        400,
        "invalid_input",
        "format",
      ],
      [
        "PATCH",
        `/api/agents/p/sessions/${sid}`,
        `{"label":"${"x".repeat(201)}"}`,
        400,
        "invalid_input",
        "label",
      ],
      [
        "PATCH",
        `/api/agents/p/sessions/${sid}`,
        '{"label":"ok","extra":1}',
        400,
        "invalid_input",
        "extra",
      ],
      ["PATCH", `/api/agents/p/sessions/${sid}`, "{not json", 400, "invalid_input"],
      ["PATCH", `/api/agents/p/sessions/${sid}`, "{}", 400, "invalid_input", "label"],
      // A child reaches none of its parent's sessions.
      ["GET", `/api/agents/c/sessions/${sid}`, undefined, 404, "not_found"],
      ["GET", `/api/agents/c/sessions/${sid}/messages`, undefined, 404, "not_found"],
      ["GET", `/api/agents/c/sessions/${sid}/export`, undefined, 404, "not_found"],
      ["POST", `/api/agents/c/sessions/${sid}/switch`, undefined, 404, "not_found"],
      ["PATCH", `/api/agents/c/sessions/${sid}`, '{"label":"mine"}', 404, "not_found"],
      ["POST", "/api/agents/ghost/compact", undefined, 404, "not_found"],
    ];
    for (const [method, path, body, status, code, field] of cases) {
      const r = await call(f, method, path, { ...op, body });
      const what = `${method} ${path}`;
      assert.equal(r.status, status, `${what}: ${r.text}`);
      const error = r.body.error as { code: string; message: string; fields?: object };
      assert.equal(error.code, code, what);
      assert.ok(error.message.length > 10, what);
      if (field) assert.ok(field in (error.fields ?? {}), `${what} names ${field}: ${r.text}`);
    }
    const after = f.kernel.sessions.get(parent.id, sid);
    assert.deepEqual(after, { ...session, last_message_at: after.last_message_at });
    assert.equal(after.label, "");
    assert.equal(
      f.kernel.sessions.list(f.kernel.agents.get("c").id, { limit: 5 }).sessions.length,
      0,
    );
  });
});

Deno.test("GET /api/backup (admin) streams a SQLite snapshot and leaves no file behind", async () => {
  await withApi(async (f) => {
    f.kernel.agents.spawn({ name: "kept" });
    assert.equal((await call(f, "GET", "/api/backup", { token: f.tokens.operator })).status, 403);
    const res = await fetch(`${f.server.url}/api/backup`, {
      headers: { authorization: `Bearer ${f.tokens.admin}` },
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-disposition")!, /attachment; filename="talon-backup-/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    assert.equal(new TextDecoder().decode(bytes.slice(0, 15)), "SQLite format 3");
    const left = [...Deno.readDirSync(f.dir)].map((e) => e.name).filter((n) =>
      n.includes("backup")
    );
    assert.deepEqual(left, []);
    const [entry] = f.kernel.audit.list({ action: "backup.create" }).entries;
    assert.equal((entry!.detail as { bytes: number }).bytes, bytes.length);
  });
});
