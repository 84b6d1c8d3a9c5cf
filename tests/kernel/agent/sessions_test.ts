import assert from "node:assert/strict";
import { MIGRATIONS } from "../../../migrations/mod.ts";
import * as store from "../../../kernel/store/mod.ts";
import { SessionExport } from "../../../kernel/types.ts";
import { settle, talonError, withKernel } from "../fixtures.ts";

Deno.test("reset starts a new current session and keeps the old one; switch goes back to it", async () => {
  await withKernel(async (kernel) => {
    const agent = kernel.agents.spawn({ name: "bot" });
    await settle(kernel.agents.send(agent.id, "remember the word apple").result, "turn 1");
    const [first] = kernel.sessions.list(agent.id, { limit: 10 }).sessions;
    assert.equal(first!.current, true);
    assert.equal(first!.message_count, 2);

    const reset = kernel.sessions.reset(agent.id, { actor: "test" });
    assert.equal(reset.previous_session_id, first!.id);
    assert.deepEqual(kernel.agents.session(agent.id, { limit: 50 }).messages, []);
    await settle(kernel.agents.send(agent.id, "a new topic").result, "turn 2");
    const reply = await settle(kernel.agents.send(agent.id, "and again").result, "turn 3");
    assert.doesNotMatch(reply.reply, /apple/, "the new session's prompt has no old messages");

    const listed = kernel.sessions.list(agent.id, { limit: 10 }).sessions;
    assert.deepEqual(listed.map((s) => [s.id, s.current, s.message_count]), [
      [reset.session.id, true, 4],
      [first!.id, false, 2],
    ]);
    const back = kernel.sessions.switchTo(agent.id, first!.id, { actor: "test" });
    assert.equal(back.current, true);
    const page = kernel.agents.session(agent.id, { limit: 50 });
    assert.deepEqual(page.messages.map((m) => m.role), ["user", "assistant"]);
    assert.match(page.messages[0]!.text, /apple/);
    await settle(kernel.agents.send(agent.id, "back here").result, "turn 4");
    assert.equal(kernel.sessions.get(agent.id, first!.id).message_count, 4);
    assert.equal(kernel.sessions.get(agent.id, reset.session.id).message_count, 4);
    const actions = kernel.audit.list({ agent_id: agent.id }).entries.map((e) => e.action);
    assert.ok(actions.includes("session.reset") && actions.includes("session.switch"));
  });
});

Deno.test("a label is stored; unknown sessions are not_found and change nothing", async () => {
  await withKernel(async (kernel) => {
    const agent = kernel.agents.spawn({ name: "bot" });
    await settle(kernel.agents.send(agent.id, "hi").result, "turn");
    const [session] = kernel.sessions.list(agent.id, { limit: 10 }).sessions;
    assert.equal(kernel.sessions.label(agent.id, session!.id, { label: "first" }).label, "first");
    const ghost = crypto.randomUUID();
    assert.throws(() => kernel.sessions.get(agent.id, ghost), talonError("not_found"));
    assert.throws(
      () => kernel.sessions.label(agent.id, ghost, { label: "x" }),
      talonError("not_found"),
    );
    assert.throws(() => kernel.sessions.switchTo(agent.id, ghost), talonError("not_found"));
    assert.equal(kernel.sessions.get(agent.id, session!.id).current, true);
    assert.equal(kernel.sessions.get(agent.id, session!.id).label, "first");
  });
});

Deno.test("a child cannot read, switch to or export its parent's sessions, nor see them in its prompt", async () => {
  await withKernel(async (kernel) => {
    const parent = kernel.agents.spawn({ name: "parent" });
    const child = kernel.agents.spawn({ name: "child" }, { parent: parent.id });
    await settle(kernel.agents.send(parent.id, "the parent secret is zebra").result, "parent");
    const [parentSession] = kernel.sessions.list(parent.id, { limit: 10 }).sessions;
    assert.deepEqual(kernel.sessions.list(child.id, { limit: 10 }).sessions, []);
    const sid = parentSession!.id;
    assert.throws(() => kernel.sessions.get(child.id, sid), talonError("not_found"));
    assert.throws(
      () => kernel.sessions.page(child.id, sid, { limit: 50 }),
      talonError("not_found"),
    );
    assert.throws(() => kernel.sessions.switchTo(child.id, sid), talonError("not_found"));
    assert.throws(
      () => kernel.sessions.export(child.id, sid, { format: "json" }),
      talonError("not_found"),
    );
    const reply = await settle(kernel.agents.send(child.id, "what do you know").result, "child");
    assert.doesNotMatch(reply.reply, /zebra/);
    const childSessions = kernel.sessions.list(child.id, { limit: 10 }).sessions;
    assert.equal(childSessions.length, 1);
    assert.notEqual(childSessions[0]!.id, sid);
    assert.equal(kernel.sessions.get(parent.id, sid).current, true, "nothing changed");
  });
});

Deno.test("switch and reset wait while a turn is queued or running", async () => {
  await withKernel(async (kernel, dir) => {
    const script = `${dir}/slow.json`;
    await Deno.writeTextFile(
      script,
      JSON.stringify({ turns: [{ match: ".", steps: [{ text: "a b c d e", delay_ms: 40 }] }] }),
    );
    const agent = kernel.agents.spawn({ name: "slow", model: `script:${script}` });
    await settle(kernel.agents.send(agent.id, "one").result, "first");
    const [old] = kernel.sessions.list(agent.id, { limit: 10 }).sessions;
    kernel.sessions.reset(agent.id);
    const running = kernel.agents.send(agent.id, "two");
    assert.throws(() => kernel.sessions.reset(agent.id), talonError("illegal_transition"));
    assert.throws(
      () => kernel.sessions.switchTo(agent.id, old!.id),
      talonError("illegal_transition", /turn running or queued/),
    );
    await settle(running.result, "second");
    assert.equal(kernel.sessions.list(agent.id, { limit: 10 }).sessions.length, 2);
  });
});

Deno.test("export gives every message as JSON (the SessionExport shape) or Markdown", async () => {
  await withKernel(async (kernel) => {
    const agent = kernel.agents.spawn({ name: "bot" });
    for (let i = 0; i < 3; i++) {
      await settle(kernel.agents.send(agent.id, `message ${i}`).result, `turn ${i}`);
    }
    const [session] = kernel.sessions.list(agent.id, { limit: 10 }).sessions;
    const file = kernel.sessions.export(agent.id, session!.id, { format: "json" });
    assert.match(file.filename, /^bot-session-.*\.json$/);
    const parsed = SessionExport.parse(JSON.parse([...file.chunks].join("")));
    assert.equal(parsed.messages.length, 6);
    assert.equal(parsed.messages[0]!.text, "message 0");
    const md = [...kernel.sessions.export(agent.id, session!.id, { format: "md" }).chunks].join("");
    assert.match(md, /^# Session of bot/);
    assert.equal(md.match(/^## User/gm)?.length, 3);
  });
});

Deno.test("migration 0010 puts each agent's existing messages into one current session", () => {
  const db = store.openDatabase(":memory:");
  try {
    store.migrate(db, MIGRATIONS.filter((m) => m.version < 10));
    db.exec(`
      INSERT INTO agents (id, name, state, provider, model, manifest, created_at, updated_at)
        VALUES ('a1', 'one', 'running', 'offline', 'echo', '{}', 'x', 'x'),
               ('a2', 'two', 'running', 'offline', 'echo', '{}', 'x', 'x');
      INSERT INTO turns (id, agent_id, status, input, created_at, start_seq)
        VALUES ('t1', 'a1', 'completed', 'hi', 'x', 1);
      INSERT INTO messages (agent_id, turn_id, role, content, created_at, seq) VALUES
        ('a1', 't1', 'user', '{"text":"hi"}', '2026-01-01T00:00:00Z', 1),
        ('a1', 't1', 'assistant', '{"text":"hello"}', '2026-01-01T00:00:01Z', 1);
    `);
    store.migrate(db, MIGRATIONS);
    const sessions = store.listSessionRecords(db, "a1", { limit: 10 });
    assert.equal(sessions.length, 1);
    assert.equal(sessions[0]!.current, true);
    assert.equal(sessions[0]!.message_count, 2);
    assert.equal(store.getTurn(db, "t1")?.session_id, sessions[0]!.id);
    assert.deepEqual(
      store.sessionMessages(db, "a1", { limit: 10, promptOnly: true }).map((m) => m.text),
      ["hi", "hello"],
    );
    assert.equal(store.listSessionRecords(db, "a2", { limit: 10 })[0]?.message_count, 0);
  } finally {
    db.close();
  }
});
