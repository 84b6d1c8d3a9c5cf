import assert from "node:assert/strict";
import { MIGRATIONS } from "../../../migrations/mod.ts";
import * as store from "../../../kernel/store/mod.ts";
import { AgentManifest } from "../../../kernel/types.ts";
import { talonError } from "../fixtures.ts";

function withDb(fn: (db: store.Database) => void): () => void {
  return () => {
    const db = store.openDatabase(":memory:");
    try {
      store.migrate(db, MIGRATIONS);
      fn(db);
    } finally {
      db.close();
    }
  };
}

function addAgent(db: store.Database, name: string, parentId: string | null = null) {
  return store.insertAgent(db, {
    id: crypto.randomUUID(),
    manifest: AgentManifest.parse({ name, provider: "offline", model: "echo" }),
    provider: "offline",
    model: "echo",
    parentId,
  });
}

Deno.test(
  "transaction() commits, rolls back on throw and joins an outer transaction",
  withDb((db) => {
    db.exec("CREATE TABLE t (x INTEGER)");
    store.transaction(db, () => db.exec("INSERT INTO t VALUES (1)"));
    assert.throws(() =>
      store.transaction(db, () => {
        db.exec("INSERT INTO t VALUES (2)");
        store.transaction(db, () => db.exec("INSERT INTO t VALUES (3)"));
        throw new Error("boom");
      }), /boom/);
    const rows = db.prepare("SELECT x FROM t").all().map((r) => r.x);
    assert.deepEqual(rows, [1]);
    assert.equal(db.isTransaction, false);
  }),
);

Deno.test(
  "insertAgent() enforces live-name uniqueness and findAgent() prefers the live record",
  withDb((db) => {
    const old = addAgent(db, "bot");
    assert.equal(old.state, "created");
    assert.throws(() => addAgent(db, "bot"), talonError("name_taken"));
    store.setAgentState(db, old.id, "killed");
    const fresh = addAgent(db, "bot");
    assert.equal(store.findAgent(db, "bot").id, fresh.id);
    assert.equal(store.findAgent(db, old.id).id, old.id);
    store.setAgentState(db, fresh.id, "killed");
    assert.equal(store.findAgent(db, "bot").state, "killed");
    assert.throws(() => store.findAgent(db, "nobody"), talonError("not_found"));
  }),
);

Deno.test(
  "listAgents() pages newest first with before and filters by state",
  withDb((db) => {
    const ids = ["a", "b", "c", "d", "e"].map((n) => addAgent(db, n).id);
    store.setAgentState(db, ids[0]!, "paused");
    const all = store.listAgents(db);
    assert.equal(all.length, 5);
    const pages: string[] = [];
    let before: string | undefined;
    for (;;) {
      const page = store.listAgents(db, { limit: 2, before });
      if (page.length === 0) break;
      pages.push(...page.map((a) => a.id));
      before = page.at(-1)!.id;
    }
    assert.deepEqual(pages, all.map((a) => a.id));
    assert.deepEqual(store.listAgents(db, { state: "paused" }).map((a) => a.id), [ids[0]]);
    assert.deepEqual(store.countAgentsByState(db), {
      created: 4,
      running: 0,
      paused: 1,
      suspended: 0,
      killed: 0,
    });
  }),
);

Deno.test(
  "descendantIds() finds children and grandchildren only",
  withDb((db) => {
    const root = addAgent(db, "root");
    const child = addAgent(db, "child", root.id);
    const grandchild = addAgent(db, "grandchild", child.id);
    addAgent(db, "other");
    assert.deepEqual(store.descendantIds(db, root.id).sort(), [child.id, grandchild.id].sort());
    assert.deepEqual(store.descendantIds(db, grandchild.id), []);
  }),
);

Deno.test(
  "sessionMessages() returns the last messages in order, paged by before",
  withDb((db) => {
    const agent = addAgent(db, "bot");
    store.insertTurn(db, { id: "t1", agentId: agent.id, input: "m0" });
    for (let i = 1; i < 6; i++) {
      store.appendMessage(db, {
        agentId: agent.id,
        turnId: "t1",
        role: i % 2 ? "assistant" : "user",
        content: { text: `m${i}` },
      });
    }
    const last3 = store.sessionMessages(db, agent.id, { limit: 3 });
    assert.deepEqual(last3.map((m) => m.text), ["m3", "m4", "m5"]);
    const earlier = store.sessionMessages(db, agent.id, { limit: 10, before: last3[0]!.id });
    assert.deepEqual(earlier.map((m) => m.text), ["m0", "m1", "m2"]);
    assert.equal(earlier[0]!.role, "user");
    store.transaction(db, () => store.startSession(db, agent.id));
    assert.deepEqual(store.sessionMessages(db, agent.id, { limit: 10 }), [], "a new session");
    assert.equal(store.getTurn(db, "t1")?.status, "queued", "turn records stay");
  }),
);

Deno.test(
  "openTurns() lists queued and running turns until they finish",
  withDb((db) => {
    const agent = addAgent(db, "bot");
    store.insertTurn(db, { id: "t1", agentId: agent.id, input: "a" });
    store.insertTurn(db, { id: "t2", agentId: agent.id, input: "b" });
    store.startTurn(db, "t1");
    assert.deepEqual(store.openTurns(db).map((t) => t.id).sort(), ["t1", "t2"]);
    store.finishTurn(db, "t1", {
      status: "completed",
      output: "ok",
      usage: { input_tokens: 1, output_tokens: 2 },
    });
    assert.deepEqual(store.openTurns(db, agent.id).map((t) => t.id), ["t2"]);
    const t1 = store.getTurn(db, "t1")!;
    assert.equal(t1.output, "ok");
    assert.equal(t1.output_tokens, 2);
    assert.ok(t1.ended_at);
  }),
);

Deno.test(
  "pruneEvents() drops old events and older token deltas first",
  withDb((db) => {
    const at = (ts: string, type: "token" | "message") =>
      store.appendEvent(db, {
        ts,
        type,
        agent_id: null,
        turn_id: null,
        data: type === "token" ? { text: "x" } : { role: "user", text: "x" },
      });
    at("2020-01-01T00:00:00.000Z", "message");
    at("2024-01-01T00:00:00.000Z", "token");
    const keep = at("2024-01-01T00:00:00.000Z", "message");
    const fresh = at("2024-06-01T00:00:00.000Z", "token");
    const removed = store.pruneEvents(db, {
      before: "2023-01-01T00:00:00.000Z",
      tokensBefore: "2024-03-01T00:00:00.000Z",
    });
    assert.equal(removed, 2);
    assert.deepEqual(store.readEvents(db, 0, { limit: 10 }).map((e) => e.id), [keep.id, fresh.id]);
    assert.equal(store.lastEventId(db), fresh.id);
  }),
);
