import assert from "node:assert/strict";
import { AuditChain, auditEntryHash } from "../../../kernel/security/mod.ts";
import * as store from "../../../kernel/store/mod.ts";
import { appendMany, row, withDb } from "./audit_fixtures.ts";

const CONTENT_COLUMNS = [
  "ts",
  "action",
  "actor",
  "agent_id",
  "detail",
  "prev_hash",
  "hash",
] as const;

/** Swaps everything but the ids of two rows: the same entries, in another order. */
function swapContents(db: store.Database, a: number, b: number): void {
  const ra = row(db, a);
  const rb = row(db, b);
  const update = db.prepare(
    `UPDATE audit_entries SET ${CONTENT_COLUMNS.map((c) => `${c} = ?`).join(", ")} WHERE id = ?`,
  );
  update.run(...CONTENT_COLUMNS.map((c) => rb[c]), a);
  update.run(...CONTENT_COLUMNS.map((c) => ra[c]), b);
}

Deno.test(
  "verify() names the first entry whose contents were edited",
  withDb((db) => {
    const chain = new AuditChain(db);
    appendMany(chain, 20);
    const edits: [string, string | null][] = [
      ["detail", '{"n":17,"tool":"shell"}'],
      ["actor", "someone-else"],
      ["action", "agent.spawn"],
      ["agent_id", null],
      ["ts", "2000-01-01T00:00:00.000Z"],
    ];
    for (const [column, value] of edits) {
      const original = (row(db, 17) as unknown as Record<string, string | null>)[column]!;
      db.prepare(`UPDATE audit_entries SET ${column} = ? WHERE id = 17`).run(value);
      assert.deepEqual(chain.verify(), {
        ok: false,
        entries: 20,
        head: { id: 20, hash: row(db, 20).hash },
        first_broken: { id: 17, reason: "entry 17: hash does not match its contents (edited?)" },
      }, column);
      db.prepare(`UPDATE audit_entries SET ${column} = ? WHERE id = 17`).run(original);
      assert.equal(chain.verify().ok, true, `restoring ${column} mends it`);
    }
    db.prepare("UPDATE audit_entries SET detail = '[1]' WHERE id = 4").run();
    assert.deepEqual(chain.verify().first_broken, {
      id: 4,
      reason: "entry 4: detail is not a JSON object (edited?)",
    });
  }),
);

Deno.test(
  "verify() catches two entries swapped: the order is part of the chain",
  withDb((db) => {
    const chain = new AuditChain(db);
    appendMany(chain, 10);
    swapContents(db, 5, 6);
    const result = chain.verify();
    assert.equal(result.ok, false);
    assert.deepEqual(result.first_broken, {
      id: 5,
      reason: "entry 5: prev_hash does not match entry 4 (reordered or removed?)",
    });
    swapContents(db, 5, 6);
    assert.equal(chain.verify().ok, true);
    // Moving the first entry elsewhere breaks the genesis link.
    swapContents(db, 1, 2);
    assert.deepEqual(chain.verify().first_broken, {
      id: 1,
      reason: "entry 1: prev_hash is not the genesis hash (edited?)",
    });
  }),
);

Deno.test(
  "verify() catches removed entries in the middle and at the start",
  withDb((db) => {
    const chain = new AuditChain(db);
    appendMany(chain, 20);
    db.prepare("DELETE FROM audit_entries WHERE id = 19").run();
    assert.deepEqual(chain.verify(), {
      ok: false,
      entries: 19,
      head: { id: 20, hash: row(db, 20).hash },
      first_broken: { id: 20, reason: "entry 20 follows 18: entry 19 is missing" },
    });
    db.prepare("DELETE FROM audit_entries WHERE id IN (10, 11, 12)").run();
    assert.deepEqual(chain.verify().first_broken, {
      id: 13,
      reason: "entry 13 follows 9: entries 10–12 are missing",
    });
    db.prepare("DELETE FROM audit_entries WHERE id = 1").run();
    assert.deepEqual(chain.verify().first_broken, {
      id: 2,
      reason: "entry 2 is the first entry: entry 1 is missing",
    });
  }),
);

Deno.test(
  "verify() catches an entry rewritten with a matching hash at the next link",
  withDb((db) => {
    const chain = new AuditChain(db);
    appendMany(chain, 20);
    const stored = row(db, 17);
    const forged = {
      ...stored,
      detail: { n: 17, tool: "shell_exec", approved: true },
    };
    const hash = auditEntryHash(forged);
    db.prepare("UPDATE audit_entries SET detail = ?, hash = ? WHERE id = 17")
      .run(JSON.stringify(forged.detail), hash);
    assert.deepEqual(chain.verify().first_broken, {
      id: 18,
      reason: "entry 18: prev_hash does not match entry 17 (reordered or removed?)",
    });
  }),
);

Deno.test(
  "verify() cannot see a truncated tail by itself; the noted head hash can",
  withDb((db) => {
    const chain = new AuditChain(db);
    appendMany(chain, 10);
    const anchor = chain.verify().head!;
    db.prepare("DELETE FROM audit_entries WHERE id > 8").run();
    const after = chain.verify();
    assert.equal(after.ok, true, "a shorter chain is still a valid chain");
    assert.notDeepEqual(after.head, anchor, "but the head no longer matches the noted anchor");
    // Appending reuses the id: the anchor's hash is what exposes it.
    const next = chain.append({ action: "agent.spawn", actor: "local" });
    assert.equal(next.id, 9);
    assert.notEqual(row(db, anchor.id)?.hash, anchor.hash);
  }),
);
