import assert from "node:assert/strict";
import { AuditChain, auditEntryHash } from "../../../kernel/security/mod.ts";
import { row, withDb } from "./audit_fixtures.ts";

Deno.test(
  "append() hashes each entry exactly as auditEntryHash() does over its stored form",
  withDb((db) => {
    const chain = new AuditChain(db);
    const details: Record<string, unknown>[] = [
      {},
      { text: 'quotes " and \\ and\nnewlines', n: 1.5, big: 1e21, neg: -0 },
      { "é": "ünïcödé ✓ 🦅", "\u2028": "line separator", z: [3, { b: 1, a: 2 }], nested: null },
      { long: "x".repeat(20_000) }, // capped: stored as a preview
    ];
    for (const [i, detail] of details.entries()) {
      const entry = chain.append({
        action: "agent.message",
        actor: i % 2 ? 'agent:ünï "q"' : "system",
        agent_id: i % 2 ? null : "a-1",
        detail,
      });
      const stored = row(db, entry.id);
      assert.equal(entry.hash, stored.hash);
      assert.equal(
        stored.hash,
        auditEntryHash({
          id: stored.id,
          ts: stored.ts,
          action: stored.action as "agent.message",
          actor: stored.actor,
          agent_id: stored.agent_id,
          detail: JSON.parse(stored.detail),
          prev_hash: stored.prev_hash,
        }),
      );
    }
    assert.deepEqual(chain.verify(), {
      ok: true,
      entries: details.length,
      head: { id: details.length, hash: row(db, details.length).hash },
    });
  }),
);
