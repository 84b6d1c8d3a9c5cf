import assert from "node:assert/strict";
import { MIGRATIONS } from "../../../migrations/mod.ts";
import * as store from "../../../kernel/store/mod.ts";

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

function use(db: store.Database, agentId: string, at: string, tokens: number, usd: number) {
  store.insertUsage(db, {
    agentId,
    turnId: null,
    provider: "offline",
    model: "echo",
    inputTokens: tokens,
    outputTokens: 1,
    costUsd: usd,
    latencyMs: 1,
    at,
  });
}

/** The totals straight from the usage rows, as usageSince() gave them before the roll-ups. */
function fromRows(db: store.Database, since: string, agentIds?: string[]): store.UsageTotals {
  const rows = db.prepare(
    "SELECT agent_id, input_tokens, output_tokens, cost_usd, created_at FROM usage",
  )
    .all() as {
      agent_id: string;
      input_tokens: number;
      output_tokens: number;
      cost_usd: number;
      created_at: string;
    }[];
  const kept = rows.filter((r) =>
    r.created_at >= since && (agentIds === undefined || agentIds.includes(r.agent_id))
  );
  return {
    calls: kept.length,
    tokens: kept.reduce((n, r) => n + r.input_tokens + r.output_tokens, 0),
    cost_usd: kept.reduce((n, r) => n + r.cost_usd, 0),
  };
}

Deno.test(
  "usageSince() counts exactly the rows at or after a time inside a minute, per agent and for everyone",
  withDb((db) => {
    use(db, "a", "2026-11-22T11:59:59.999Z", 100, 0.5);
    use(db, "a", "2026-11-22T12:00:30.000Z", 10, 0.25);
    use(db, "a", "2026-11-22T12:00:30.001Z", 20, 0.125);
    use(db, "b", "2026-11-22T12:00:45.000Z", 40, 1);
    use(db, "a", "2026-11-22T12:01:00.000Z", 80, 2);
    use(db, "b", "2026-11-22T13:30:00.000Z", 160, 4);
    // Out of order, as a fake clock may write them.
    use(db, "a", "2026-11-22T12:00:10.000Z", 320, 8);
    for (
      const since of [
        "2026-11-22T11:00:00.000Z",
        "2026-11-22T12:00:00.000Z",
        "2026-11-22T12:00:30.000Z",
        "2026-11-22T12:00:30.001Z",
        "2026-11-22T12:00:59.999Z",
        "2026-11-22T12:01:00.000Z",
        "2026-11-22T12:01:00.001Z",
        "2026-11-23T00:00:00.000Z",
      ]
    ) {
      for (const agents of [undefined, ["a"], ["b"], ["a", "b"], []]) {
        assert.deepEqual(
          store.usageSince(db, since, agents),
          fromRows(db, since, agents),
          `since ${since}, agents ${JSON.stringify(agents)}`,
        );
      }
    }
  }),
);

Deno.test(
  "usageSince() and insertUsage() refuse a time that is not ISO",
  withDb((db) => {
    assert.throws(() => store.usageSince(db, "yesterday"), RangeError);
    assert.throws(() => use(db, "a", "soon", 1, 0), RangeError);
    assert.equal(store.usageSince(db, "2000-01-01T00:00:00.000Z").calls, 0);
  }),
);

Deno.test(
  "migration 13 rolls up the usage rows an older database already has",
  () => {
    const db = store.openDatabase(":memory:");
    try {
      store.migrate(db, MIGRATIONS.filter((m) => m.version < 13));
      db.prepare(
        `INSERT INTO usage (agent_id, turn_id, provider, model, input_tokens, output_tokens,
                            cost_usd, latency_ms, created_at)
         VALUES ('a', NULL, 'offline', 'echo', 5, 1, 0.5, 1, '2026-11-22T12:00:30.000Z'),
                ('b', NULL, 'offline', 'echo', 7, 1, 0.25, 1, '2026-11-22T12:05:00.000Z')`,
      ).run();
      store.migrate(db, MIGRATIONS);
      for (const agents of [undefined, ["a"], ["b"]]) {
        for (const since of ["2026-11-22T12:00:00.000Z", "2026-11-22T12:01:00.000Z"]) {
          assert.deepEqual(store.usageSince(db, since, agents), fromRows(db, since, agents));
        }
      }
    } finally {
      db.close();
    }
  },
);
