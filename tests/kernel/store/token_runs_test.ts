import assert from "node:assert/strict";
import { MIGRATIONS } from "../../../migrations/mod.ts";
import * as store from "../../../kernel/store/mod.ts";
import type { TalonEvent } from "../../../kernel/types.ts";

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

/** Three turns streaming interleaved deltas between other events, as concurrent turns do. */
function interleaved(db: store.Database): TalonEvent[] {
  const out: TalonEvent[] = [];
  const ts = "2024-01-01T00:00:00.000Z";
  for (let i = 0; i < 40; i++) {
    const turn = `t${i % 3}`;
    out.push(store.appendEvent(db, {
      ts,
      type: "token",
      agent_id: i % 3 === 2 ? "a1" : "a0",
      turn_id: turn,
      data: { text: `w${i} ` },
    }));
    if (i % 7 === 0) {
      out.push(store.appendEvent(db, {
        ts,
        type: "message",
        agent_id: "a0",
        turn_id: turn,
        data: { role: "user", text: `m${i}` },
      }));
    }
    if (i === 20) store.flushTokens(db);
  }
  return out;
}

function pageThrough(
  db: store.Database,
  after: number,
  filter: store.EventFilter & { limit: number },
): TalonEvent[] {
  const seen: TalonEvent[] = [];
  for (;;) {
    const page = store.readEvents(db, after, filter);
    assert.ok(page.length <= filter.limit, "never more than the limit");
    seen.push(...page);
    if (page.length === 0) return seen;
    after = page.at(-1)!.id;
  }
}

Deno.test(
  "token deltas are stored as one row per turn's run, and read back one event per delta",
  withDb((db) => {
    const published = interleaved(db);
    store.flushTokens(db);
    const rows = db.prepare("SELECT count(*) AS n FROM events WHERE type = 'token'").get() as {
      n: number;
    };
    // Two flushes (one mid-way) × three turns.
    assert.equal(rows.n, 6);
    assert.deepEqual(store.readEvents(db, 0, { limit: 1000 }), published);
    assert.equal(store.lastEventId(db), published.at(-1)!.id);
  }),
);

Deno.test(
  "readEvents() pages through coalesced runs exactly once, in id order, after any id and with any filter",
  withDb((db) => {
    const published = interleaved(db);
    const filters: (store.EventFilter & { match: (e: TalonEvent) => boolean })[] = [
      { match: () => true },
      { turnId: "t1", match: (e) => e.turn_id === "t1" },
      { agentId: "a0", types: ["token"], match: (e) => e.agent_id === "a0" && e.type === "token" },
      { types: ["message"], match: (e) => e.type === "message" },
    ];
    for (const { match, ...filter } of filters) {
      for (const limit of [1, 3, 7, 500]) {
        for (const after of [0, ...published.map((e) => e.id)]) {
          const expected = published.filter((e) => e.id > after && match(e));
          assert.deepEqual(
            pageThrough(db, after, { ...filter, limit }),
            expected,
            `after ${after}, limit ${limit}, ${JSON.stringify(filter)}`,
          );
        }
      }
    }
    const upTo = published[25]!.id;
    assert.deepEqual(
      store.readEvents(db, 0, { limit: 1000, upToId: upTo }),
      published.filter((e) => e.id <= upTo),
    );
  }),
);

Deno.test(
  "recentEvents() returns the newest deltas of coalesced runs, newest first",
  withDb((db) => {
    const published = interleaved(db);
    for (const limit of [1, 5, 13, 100]) {
      assert.deepEqual(
        store.recentEvents(db, { limit }),
        [...published].reverse().slice(0, limit),
        `limit ${limit}`,
      );
    }
  }),
);

Deno.test(
  "event ids continue after the last delta of a stored run when the database is reopened",
  () => {
    const dir = Deno.makeTempDirSync();
    try {
      const path = `${dir}/t.db`;
      let db = store.openDatabase(path);
      store.migrate(db, MIGRATIONS);
      const ts = "2024-01-01T00:00:00.000Z";
      const base = { ts, agent_id: null, turn_id: null } as const;
      const a = store.appendEvent(db, { ...base, type: "token", data: { text: "a" } });
      const b = store.appendEvent(db, { ...base, type: "token", data: { text: "b" } });
      store.flushTokens(db);
      db.close();
      db = store.openDatabase(path);
      assert.equal(store.lastEventId(db), b.id);
      const c = store.appendEvent(db, { ...base, type: "token", data: { text: "c" } });
      assert.equal(c.id, b.id + 1);
      assert.deepEqual(store.readEvents(db, 0, { limit: 10 }).map((e) => e.id), [a.id, b.id, c.id]);
      db.close();
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
);
