import assert from "node:assert/strict";
import {
  type AuditAction,
  AuditChain,
  auditEntryHash,
  GENESIS_HASH,
  REDACTED,
} from "../../../kernel/security/mod.ts";
import * as store from "../../../kernel/store/mod.ts";
import { talonError, withKernel } from "../fixtures.ts";
import { appendMany, row, withDb } from "./audit_fixtures.ts";

Deno.test(
  "append() links each entry to the previous one's hash, from the genesis hash",
  withDb((db) => {
    const chain = new AuditChain(db);
    assert.deepEqual(chain.verify(), { ok: true, entries: 0, head: null });
    const a = chain.append({ action: "agent.spawn", actor: "local", agent_id: "x" });
    const b = chain.append({ action: "agent.message", actor: "local", detail: { text: "hi" } });
    const c = chain.append({ action: "agent.kill", actor: "kernel", agent_id: null });
    assert.deepEqual([a.id, b.id, c.id], [1, 2, 3]);
    assert.equal(a.prev_hash, GENESIS_HASH);
    assert.equal(b.prev_hash, a.hash);
    assert.equal(c.prev_hash, b.hash);
    assert.deepEqual(a.detail, {});
    assert.equal(b.agent_id, null);
    for (const entry of [a, b, c]) {
      assert.match(entry.hash, /^[0-9a-f]{64}$/);
      assert.equal(entry.hash, auditEntryHash(entry));
      assert.equal(row(db, entry.id).hash, entry.hash, "what is returned is what is stored");
    }
    assert.deepEqual(chain.verify(), { ok: true, entries: 3, head: { id: 3, hash: c.hash } });
  }),
);

Deno.test(
  "append() redacts secrets in detail before hashing and storing, and stores plain JSON",
  withDb((db) => {
    const chain = new AuditChain(db);
    const secret = "sk-ant-" + "A".repeat(30);
    const entry = chain.append({
      action: "tool.call",
      actor: "agent:x",
      detail: {
        args: { url: "https://example.com", headers: { authorization: "Bearer abcdefghijklmnop" } },
        api_key: "plain-looking",
        output: `the key is ${secret}`,
        missing: undefined,
        at: new Date("2026-01-02T03:04:05.000Z"),
        big: 12345678901234567890n,
        error: new Error(`failed with ${secret}`),
        ratio: Number.NaN,
      },
    });
    assert.deepEqual(entry.detail, {
      args: { url: "https://example.com", headers: { authorization: REDACTED } },
      api_key: REDACTED,
      output: `the key is ${REDACTED}`,
      at: "2026-01-02T03:04:05.000Z",
      big: "12345678901234567890",
      error: { name: "Error", message: `failed with ${REDACTED}` },
      ratio: null,
    });
    const stored = row(db, 1);
    assert.ok(!stored.detail.includes(secret) && !stored.detail.includes("plain-looking"));
    assert.ok(!stored.detail.includes("abcdefghijklmnop"));
    assert.deepEqual(JSON.parse(stored.detail), entry.detail);
    assert.equal(stored.hash, auditEntryHash(entry), "the hash covers the redacted detail");
    const cyclic: Record<string, unknown> = { name: "loop" };
    cyclic.self = cyclic;
    assert.deepEqual(chain.append({ action: "tool.call", actor: "x", detail: cyclic }).detail, {
      name: "loop",
      self: "[Circular]",
    });
    assert.equal(chain.verify().ok, true);
  }),
);

Deno.test(
  "append() joins an outer transaction and rolls back with it",
  withDb((db) => {
    const chain = new AuditChain(db);
    assert.throws(() =>
      store.transaction(db, () => {
        chain.append({ action: "budget.set", actor: "local", detail: { cap: 1 } });
        throw new Error("boom");
      }), /boom/);
    assert.equal(store.countAuditEntries(db), 0);
    store.transaction(db, () => {
      chain.append({ action: "approval.requested", actor: "agent:a" });
      chain.append({ action: "approval.decided", actor: "local" });
    });
    assert.deepEqual(chain.verify(), {
      ok: true,
      entries: 2,
      head: { id: 2, hash: row(db, 2).hash },
    });
  }),
);

Deno.test(
  "append() refuses an unknown action or an empty actor",
  withDb((db) => {
    const chain = new AuditChain(db);
    assert.throws(
      () => chain.append({ action: "agent.dance" as AuditAction, actor: "local" }),
      TypeError,
    );
    assert.throws(() => chain.append({ action: "agent.spawn", actor: "" }), TypeError);
    assert.equal(store.countAuditEntries(db), 0);
  }),
);

Deno.test(
  "two connections appending alternately produce one chain that verifies",
  withDb((db, path) => {
    const other = store.openDatabase(path);
    try {
      const chains = [new AuditChain(db), new AuditChain(other)];
      for (let i = 0; i < 200; i++) {
        chains[i % 2]!.append({ action: "agent.message", actor: `conn${i % 2}`, detail: { i } });
      }
      for (const chain of chains) {
        assert.deepEqual(chain.verify(), {
          ok: true,
          entries: 200,
          head: { id: 200, hash: row(db, 200).hash },
        });
      }
      const prevs = db.prepare("SELECT COUNT(DISTINCT prev_hash) AS n FROM audit_entries")
        .get() as { n: number };
      assert.equal(prevs.n, 200, "no two entries extend the same one");
    } finally {
      other.close();
    }
  }),
);

/** A worker that opens its own connection and appends `count` entries once told to go. */
function appendingWorker(path: string, name: string, count: number): {
  ready: Promise<void>;
  go(): Promise<number | string>;
  stop(): void;
} {
  const security = JSON.stringify(import.meta.resolve("../../../kernel/security/mod.ts"));
  const storeMod = JSON.stringify(import.meta.resolve("../../../kernel/store/mod.ts"));
  const code = `
    import { AuditChain } from ${security};
    import { openDatabase } from ${storeMod};
    const db = openDatabase(${JSON.stringify(path)});
    const chain = new AuditChain(db);
    self.postMessage("ready");
    self.onmessage = () => {
      let appended = 0;
      try {
        for (let i = 0; i < ${count}; i++) {
          chain.append({ action: "tool.call", actor: ${JSON.stringify(name)}, detail: { i } });
          appended++;
        }
      } catch (error) {
        self.postMessage(\`\${appended} appended, then: \${(error as Error).message}\`);
        return;
      } finally {
        db.close();
      }
      self.postMessage(appended);
    };`;
  const url = URL.createObjectURL(new Blob([code], { type: "application/typescript" }));
  const worker = new Worker(url, { type: "module", name });
  const messages: ((data: unknown) => void)[] = [];
  worker.onmessage = (e) => messages.shift()?.(e.data);
  const next = () => new Promise<unknown>((resolve) => messages.push(resolve));
  const ready = next().then(() => {});
  return {
    ready,
    go: async () => {
      const done = next();
      worker.postMessage("go");
      return await done as number | string;
    },
    stop: () => {
      worker.terminate();
      URL.revokeObjectURL(url);
    },
  };
}

Deno.test(
  "two workers appending at the same time cannot fork the chain",
  withDb(async (db, path) => {
    const workers = [appendingWorker(path, "w1", 150), appendingWorker(path, "w2", 150)];
    try {
      await Promise.all(workers.map((w) => w.ready));
      const done = await Promise.all(workers.map((w) => w.go()));
      assert.deepEqual(done, [150, 150]);
    } finally {
      for (const w of workers) w.stop();
    }
    const chain = new AuditChain(db);
    assert.deepEqual(chain.verify(), {
      ok: true,
      entries: 300,
      head: { id: 300, hash: row(db, 300).hash },
    });
    const actors = db.prepare("SELECT actor, COUNT(*) AS n FROM audit_entries GROUP BY actor")
      .all().map((r) => [r.actor, r.n]);
    assert.deepEqual(actors, [["w1", 150], ["w2", 150]]);
  }),
);

Deno.test(
  "verify() walks a long chain in one pass",
  withDb((db) => {
    const chain = new AuditChain(db);
    store.transaction(db, () => appendMany(chain, 5000));
    assert.deepEqual(chain.verify(), {
      ok: true,
      entries: 5000,
      head: { id: 5000, hash: row(db, 5000).hash },
    });
    db.prepare("UPDATE audit_entries SET actor = 'x' WHERE id = 4999").run();
    assert.equal(chain.verify().first_broken?.id, 4999);
  }),
);

Deno.test("list() pages newest first and filters by agent (id or name) and action", async () => {
  await withKernel((kernel) => {
    const alpha = kernel.agents.spawn({ name: "alpha" }); // audited as entry 1
    const audit = kernel.audit;
    for (let i = 1; i <= 7; i++) {
      audit.append({
        action: i % 2 ? "tool.call" : "capability.denied",
        actor: `agent:${alpha.id}`,
        agent_id: alpha.id,
        detail: { i },
      });
      audit.append({ action: "tool.call", actor: "agent:gone", agent_id: "gone-agent-id" });
    }
    audit.append({ action: "budget.set", actor: "local", detail: { cap: 5 } });

    const first = audit.list({ limit: 6 });
    assert.deepEqual(first.entries.map((e) => e.id), [16, 15, 14, 13, 12, 11]);
    assert.equal(first.next_before, 11);
    const ids: number[] = [];
    let before: number | undefined;
    for (;;) {
      const page = audit.list({ limit: 4, before });
      ids.push(...page.entries.map((e) => e.id));
      if (page.next_before === null) break;
      before = page.next_before;
    }
    assert.deepEqual(ids, Array.from({ length: 16 }, (_, i) => 16 - i));
    assert.equal(audit.list({ limit: 5, before: 6 }).next_before, null, "exactly the last page");

    const byName = audit.list({ agent_id: "alpha" });
    assert.equal(byName.entries.length, 8, "its spawn and seven calls");
    assert.ok(byName.entries.every((e) => e.agent_id === alpha.id));
    assert.deepEqual(audit.list({ agent_id: alpha.id }), byName);
    assert.equal(
      audit.list({ agent_id: "gone-agent-id" }).entries.length,
      7,
      "purged agents by id",
    );
    assert.equal(audit.list({ agent_id: "nobody" }).entries.length, 0);
    const denied = audit.list({ agent_id: "alpha", action: "capability.denied" });
    assert.deepEqual(denied.entries.map((e) => e.detail.i), [6, 4, 2]);
    assert.deepEqual(audit.list({ action: "budget.set" }).entries[0]?.detail, { cap: 5 });
    assert.equal(audit.list().entries.length, 16, "default limit 50");

    for (const bad of [{ limit: 0 }, { limit: 501 }, { before: -1 }, { action: "x" }]) {
      assert.throws(
        () => audit.list(bad as Parameters<typeof audit.list>[0]),
        talonError("invalid_input", /invalid audit query/),
      );
    }
  });
});
