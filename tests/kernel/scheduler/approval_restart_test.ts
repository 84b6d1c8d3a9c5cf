import assert from "node:assert/strict";
import { getTurn, openDatabase } from "../../../kernel/store/mod.ts";
import { boot, settle, talonError, withTempDir } from "../fixtures.ts";
import { auditOf } from "../tools/fixtures.ts";
import { exists, gatedConfig, sendAndPark, spawnWriter } from "./approval_fixtures.ts";

Deno.test("a request pending at shutdown is kept, expired at the next boot, and its call never runs", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/config.toml`, gatedConfig());
    const first = await boot(dir);
    let ids: { agent: string; turn: string; approval: string; file: string };
    try {
      const writer = await spawnWriter(first, dir);
      const { handle, request } = await sendAndPark(first, writer.id);
      ids = { agent: writer.id, turn: handle.turn_id, approval: request.id, file: writer.file };
    } finally {
      await first.close();
    }
    // Between the two runs the request is still a pending record.
    const db = openDatabase(`${dir}/talon.db`);
    try {
      const row = db.prepare("SELECT status FROM approvals WHERE id = ?").get(ids.approval) as {
        status: string;
      };
      assert.equal(row.status, "pending");
      assert.equal(getTurn(db, ids.turn)!.status, "interrupted");
    } finally {
      db.close();
    }

    const second = await boot(dir);
    try {
      const expired = second.approvals.get(ids.approval);
      assert.deepEqual([expired.status, expired.decided_by], ["expired", "system"]);
      assert.match(expired.reason!, /Talon restarted while it was pending; the call did not run/);
      assert.equal(getTurn(second.db, ids.turn)!.status, "interrupted");
      assert.equal(second.approvals.pendingCount(), 0);
      assert.throws(
        () => second.approvals.approve(ids.approval, { actor: "token:op" }),
        talonError("illegal_transition", /already expired/),
      );
      const decided = auditOf(second, "approval.decided");
      assert.deepEqual(decided.map((d) => [d.actor, d.detail!.status]), [["system", "expired"]]);
      // The agent is Running again and its next call asks afresh.
      assert.equal(second.agents.get(ids.agent).state, "running");
      const again = await sendAndPark(second, ids.agent);
      assert.notEqual(again.request.id, ids.approval);
      second.approvals.reject(again.request.id, { actor: "token:op" });
      await settle(again.handle.result, "second turn");
      assert.equal(await exists(ids.file), false);
    } finally {
      await second.close();
    }
  });
});
