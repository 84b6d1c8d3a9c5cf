/**
 * Attack suite, system 13: the audit chain and its anchors. Truncating the
 * newest entries or rewriting the tail with fresh hashes leaves a chain that
 * verifies on its own; the anchored heads catch both.
 *
 * Related attacks: tests/kernel/security/audit_tamper_test.ts (edited,
 * reordered and removed entries inside the chain).
 *
 * @module
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { AUDIT_DETAIL_MAX_CHARS, auditEntryHash } from "../../kernel/security/mod.ts";
import { FakeClock } from "../fakes/fake_clock.ts";
import { boot, withKernel, withTempDir } from "../kernel/fixtures.ts";

function spawnSome(kernel: Awaited<ReturnType<typeof boot>>, n: number, prefix = "a"): void {
  for (let i = 0; i < n; i++) kernel.agents.spawn({ name: `${prefix}${i}` });
}

Deno.test("audit anchors: deleting the newest entries passes the bare chain but verify reports truncation", async () => {
  await withKernel(async (kernel, dir) => {
    spawnSome(kernel, 5);
    const anchor = kernel.auditAnchors.anchor("manual");
    assert.ok(anchor);
    const before = await kernel.verifyAudit();
    assert.equal(before.ok, true);
    assert.deepEqual(before.anchors, { checked: 1, newest: { id: anchor.id, hash: anchor.hash } });

    // The attacker, with write access to the database, drops the newest two entries.
    const raw = new DatabaseSync(`${dir}/talon.db`);
    raw.exec(`DELETE FROM audit_entries WHERE id > ${anchor.id - 2}`);
    raw.close();

    assert.equal(kernel.audit.verify().ok, true, "the shortened chain is valid on its own");
    const after = await kernel.verifyAudit();
    assert.equal(after.ok, false);
    assert.equal(after.first_broken?.id, anchor.id);
    assert.match(after.first_broken!.reason, /^truncated/);
  });
});

Deno.test("audit anchors: a tail rewritten with fresh hashes is reported as rewritten", async () => {
  await withKernel(async (kernel, dir) => {
    spawnSome(kernel, 3);
    const anchor = kernel.auditAnchors.anchor("manual")!;
    const raw = new DatabaseSync(`${dir}/talon.db`);
    const last = raw.prepare("SELECT * FROM audit_entries WHERE id = ?").get(anchor.id) as Record<
      string,
      string | number | null
    >;
    const forged = { ...last, actor: "nobody", detail: {} } as never;
    const hash = auditEntryHash(forged);
    raw.prepare("UPDATE audit_entries SET actor = 'nobody', detail = '{}', hash = ? WHERE id = ?")
      .run(hash, anchor.id);
    raw.close();
    assert.equal(kernel.audit.verify().ok, true, "the rewritten entry hashes correctly");
    const result = await kernel.verifyAudit();
    assert.equal(result.ok, false);
    assert.match(result.first_broken!.reason, /^rewritten/);
  });
});

Deno.test("audit anchors: written on the clock and at shutdown into an owner-only append-only file", async () => {
  await withTempDir(async (dir) => {
    const clock = new FakeClock();
    const kernel = await boot(dir, { clock });
    const path = `${dir}/audit-anchors.jsonl`;
    try {
      spawnSome(kernel, 2);
      await clock.advance(kernel.config.audit.anchor_interval_ms);
      const first = kernel.auditAnchors.read();
      assert.equal(first.length, 1);
      assert.equal(first[0]!.reason, "periodic");
      await clock.advance(kernel.config.audit.anchor_interval_ms);
      assert.equal(kernel.auditAnchors.read().length, 1, "an unchanged head is not anchored again");
      spawnSome(kernel, 1, "b");
    } finally {
      await kernel.close();
    }
    const anchors = (await Deno.readTextFile(path)).trim().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(anchors.map((a) => a.reason), ["periodic", "shutdown"]);
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
    const again = await boot(dir);
    try {
      assert.equal((await again.verifyAudit()).ok, true);
    } finally {
      await again.close();
    }
  });
});

Deno.test("audit: an oversized detail is stored as a marked preview and the chain still verifies", async () => {
  await withKernel(async (kernel) => {
    const entry = kernel.audit.append({
      action: "skill.install",
      actor: "test",
      detail: { blob: "x".repeat(AUDIT_DETAIL_MAX_CHARS * 4) },
    });
    assert.equal(entry.detail.truncated, true);
    assert.ok((entry.detail.preview as string).length < AUDIT_DETAIL_MAX_CHARS);
    assert.ok((entry.detail.original_chars as number) > AUDIT_DETAIL_MAX_CHARS * 4);
    assert.equal((await kernel.verifyAudit()).ok, true);
  });
});

Deno.test("audit: verifyInSteps() walks a log in small batches and finds an edit in a later batch", async () => {
  await withKernel(async (kernel, dir) => {
    spawnSome(kernel, 12);
    assert.equal((await kernel.audit.verifyInSteps({ batch: 3 })).entries, 12);
    const raw = new DatabaseSync(`${dir}/talon.db`);
    raw.exec("UPDATE audit_entries SET actor = 'forged' WHERE id = 10");
    raw.close();
    const result = await kernel.audit.verifyInSteps({ batch: 3 });
    assert.equal(result.ok, false);
    assert.equal(result.first_broken?.id, 10);
  });
});
