import assert from "node:assert/strict";
import { MIGRATIONS } from "../../../migrations/mod.ts";
import * as store from "../../../kernel/store/mod.ts";
import { AgentManifest } from "../../../kernel/types.ts";

function setup(): { db: store.Database; agentId: string } {
  const db = store.openDatabase(":memory:");
  store.migrate(db, MIGRATIONS);
  const agentId = crypto.randomUUID();
  store.insertAgent(db, {
    id: agentId,
    manifest: AgentManifest.parse({ name: "bot", provider: "offline", model: "echo" }),
    provider: "offline",
    model: "echo",
    parentId: null,
  });
  return { db, agentId };
}

/** Queues turn `id`, starts it and stores `replies` assistant messages. */
function turn(
  db: store.Database,
  agentId: string,
  id: string,
  replies = 1,
): void {
  store.insertTurn(db, { id, agentId, input: `${id}-user` });
  store.startTurn(db, id);
  for (let i = 0; i < replies; i++) {
    store.appendMessage(db, {
      agentId,
      turnId: id,
      role: "assistant",
      content: { text: `${id}-reply${i}` },
    });
  }
}

function prompt(db: store.Database, agentId: string, limit: number): string[] {
  return store.sessionMessages(db, agentId, { limit, promptOnly: true }).map((m) => m.text);
}

Deno.test("the prompt window starts at a turn boundary instead of cutting a turn", () => {
  const { db, agentId } = setup();
  try {
    turn(db, agentId, "a");
    turn(db, agentId, "b", 2);
    turn(db, agentId, "c");
    // 7 messages in all; a limit of 4 would start inside b.
    assert.deepEqual(prompt(db, agentId, 4), ["c-user", "c-reply0"]);
    assert.deepEqual(prompt(db, agentId, 5), [
      "b-user",
      "b-reply0",
      "b-reply1",
      "c-user",
      "c-reply0",
    ]);
    assert.deepEqual(prompt(db, agentId, 7).length, 7);
    assert.deepEqual(prompt(db, agentId, 100)[0], "a-user");
  } finally {
    db.close();
  }
});

Deno.test("a turn longer than the window is kept (its newest messages), not dropped", () => {
  const { db, agentId } = setup();
  try {
    turn(db, agentId, "a");
    turn(db, agentId, "long", 6);
    assert.deepEqual(prompt(db, agentId, 3), ["long-reply3", "long-reply4", "long-reply5"]);
  } finally {
    db.close();
  }
});

Deno.test("a queued turn's message joins the prompt when the turn starts, in start order", () => {
  const { db, agentId } = setup();
  try {
    store.insertTurn(db, { id: "q", agentId, input: "q-user" });
    turn(db, agentId, "a");
    assert.deepEqual(prompt(db, agentId, 10), ["a-user", "a-reply0"]);
    store.startTurn(db, "q");
    assert.deepEqual(prompt(db, agentId, 10), ["a-user", "a-reply0", "q-user"]);
    // Paging by id still lists the stored order.
    assert.deepEqual(
      store.sessionMessages(db, agentId, { limit: 10 }).map((m) => m.text),
      ["q-user", "a-user", "a-reply0"],
    );
  } finally {
    db.close();
  }
});

Deno.test("messages of no turn come first in the prompt window", () => {
  const { db, agentId } = setup();
  try {
    turn(db, agentId, "a");
    store.appendMessage(db, { agentId, turnId: null, role: "user", content: { text: "loose" } });
    assert.deepEqual(prompt(db, agentId, 10), ["loose", "a-user", "a-reply0"]);
  } finally {
    db.close();
  }
});

Deno.test("migration 0008 stamps existing messages with their turn's start order", () => {
  const db = store.openDatabase(":memory:");
  try {
    store.migrate(db, MIGRATIONS.filter((m) => m.version < 8));
    db.exec(`
      INSERT INTO agents (id, name, state, provider, model, manifest, created_at, updated_at)
        VALUES ('ag', 'bot', 'created', 'offline', 'echo', '{}', 'x', 'x');
      INSERT INTO turns (id, agent_id, status, input, created_at, start_seq)
        VALUES ('t1', 'ag', 'completed', 'hi', 'x', 4), ('t2', 'ag', 'queued', 'later', 'x', NULL);
      INSERT INTO messages (agent_id, turn_id, role, content, created_at) VALUES
        ('ag', 't1', 'user', '{"text":"hi"}', 'x'),
        ('ag', 't2', 'user', '{"text":"later"}', 'x'),
        ('ag', NULL, 'user', '{"text":"loose"}', 'x');
    `);
    store.migrate(db, MIGRATIONS);
    const rows = db.prepare("SELECT turn_id, seq FROM messages ORDER BY id").all();
    assert.deepEqual(rows.map((r) => ({ ...r })), [
      { turn_id: "t1", seq: 4 },
      { turn_id: "t2", seq: null },
      { turn_id: null, seq: 0 },
    ]);
  } finally {
    db.close();
  }
});
