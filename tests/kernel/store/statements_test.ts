import assert from "node:assert/strict";
import { MIGRATIONS } from "../../../migrations/mod.ts";
import * as store from "../../../kernel/store/mod.ts";
import {
  cachedStatementCount,
  MAX_CACHED_STATEMENTS,
  prepared,
} from "../../../kernel/store/database.ts";

function migrated(): store.Database {
  const db = store.openDatabase(":memory:");
  store.migrate(db, MIGRATIONS);
  return db;
}

Deno.test("prepared() prepares a statement once per connection and reuses it", () => {
  const a = migrated();
  const b = migrated();
  try {
    const first = prepared(a, "SELECT 1 AS x");
    assert.equal(prepared(a, "SELECT 1 AS x"), first);
    assert.notEqual(prepared(a, "SELECT 2 AS x"), first);
    assert.notEqual(prepared(b, "SELECT 1 AS x"), first);
    assert.deepEqual({ ...first.get() }, { x: 1 });
  } finally {
    a.close();
    b.close();
  }
});

Deno.test("closing the database finalises its cached statements", () => {
  const db = migrated();
  const statement = prepared(db, "SELECT 1 AS x");
  db.close();
  assert.throws(() => statement.get(), /finalized/);
});

Deno.test("store calls with varying lists and filters reuse a bounded set of statements", () => {
  const db = migrated();
  try {
    const agentId = crypto.randomUUID();
    const types = ["token", "message", "done", "error", "tool.call", "tool.result"];
    // Warm up every variant once, then vary values, list lengths and filters.
    const exercise = (round: number): void => {
      for (let n = 0; n <= types.length; n++) {
        // A list as long as the round: one statement must serve every length.
        const list = n === 0 ? [] : Array.from({ length: round + n }, (_, i) => types[i % n]);
        store.readEvents(db, round, { limit: 10, agentId, types: list });
        store.readEvents(db, round, { limit: 10, turnId: `t${round}`, types: list });
        store.recentEvents(db, { limit: 5, types: list });
        store.searchMemories(db, agentId, {
          query: Array.from({ length: n }, (_, i) => `w${round}${i}`).join(" "),
          limit: 3,
        });
      }
      store.usageSince(db, "2020-01-01", [`a${round}`, `b${round}`]);
      store.listAgents(db, { q: `q${round}`, limit: round + 1 });
      store.listAuditEntries(db, { before: round + 1, action: `x${round}` });
    };
    exercise(0);
    const warm = cachedStatementCount(db);
    for (let round = 1; round < 20; round++) exercise(round);
    assert.equal(cachedStatementCount(db), warm);
    assert.ok(warm < 40, `expected a few dozen statements, got ${warm}`);
  } finally {
    db.close();
  }
});

Deno.test("the cache drops its oldest statement past MAX_CACHED_STATEMENTS", () => {
  const db = store.openDatabase(":memory:");
  try {
    const first = prepared(db, "SELECT 0");
    for (let i = 1; i <= MAX_CACHED_STATEMENTS; i++) prepared(db, `SELECT ${i}`);
    assert.equal(cachedStatementCount(db), MAX_CACHED_STATEMENTS);
    assert.notEqual(prepared(db, "SELECT 0"), first);
  } finally {
    db.close();
  }
});

Deno.test("no kernel module but the store's database.ts calls db.prepare directly", async () => {
  const root = new URL("../../../kernel/", import.meta.url);
  const offenders: string[] = [];
  const visit = async (dir: URL): Promise<void> => {
    for await (const entry of Deno.readDir(dir)) {
      const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
      if (entry.isDirectory) await visit(url);
      else if (entry.name.endsWith(".ts") && !url.pathname.endsWith("/store/database.ts")) {
        const text = await Deno.readTextFile(url);
        if (/\.prepare\(/.test(text)) offenders.push(url.pathname.slice(root.pathname.length));
      }
    }
  };
  await visit(root);
  assert.deepEqual(offenders, [], "use prepared(db, sql) from kernel/store/database.ts");
});
