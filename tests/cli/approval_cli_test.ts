import assert from "node:assert/strict";
import { settle, withTempDir } from "../kernel/fixtures.ts";
import {
  exists,
  gatedConfig,
  sendAndPark,
  spawnWriter,
} from "../kernel/scheduler/approval_fixtures.ts";
import { bootQuiet, type Captured, serveDataDir, talon } from "./cli_fixtures.ts";

const READS = [
  ["approval", "list"],
  ["approval", "list", "--status", "approved"],
  ["approval", "list", "--status", "rejected", "--json"],
  ["approval", "list", "--status", "pending"],
  ["approval", "list", "--agent", "nobody"],
  ["approval", "list", "--status", "maybe"],
  ["approval", "show", "no-such-request"],
  ["approval", "approve", "no-such-request"],
];

function printed(step: string[], r: Captured): string {
  return `$ ${step.join(" ")}\n[${r.code}]\n${r.out}${r.err}`;
}

Deno.test("talon approval approve|reject through a server decides a waiting call (audited as the local credential); list and show print the same in-process", async () => {
  await withTempDir(async (dataDir) => {
    await Deno.writeTextFile(`${dataDir}/config.toml`, gatedConfig());
    const kernel = await bootQuiet(dataDir);
    const stopServing = await serveDataDir(kernel, dataDir);
    const remote: string[] = [];
    let ids: string[];
    try {
      const writer = await spawnWriter(kernel, dataDir);
      const first = await sendAndPark(kernel, writer.id);
      const pending = await talon(dataDir, "approval", "list", "--status", "pending");
      assert.equal(pending.code, 0, pending.err);
      assert.match(
        pending.out,
        new RegExp(`^ID\\s+STATUS.*\\n${first.request.id}\\s+pending\\s+writer\\s+file_write\\s+`),
      );
      const show = await talon(dataDir, "approval", "show", first.request.id);
      assert.match(show.out, /\ntool:\s+file_write\n/);
      assert.match(show.out, /\ngated by:\s+config: /);
      assert.match(
        show.out,
        /\narguments:\n {2}\{\n {4}"path": "out\.txt",\n {4}"content": "approved!",\n/,
      );
      assert.equal(await exists(writer.file), false, "not written before approval");

      const approved = await talon(dataDir, "approval", "approve", first.request.id);
      assert.equal(approved.code, 0, approved.err);
      assert.equal(
        approved.out,
        `Approved request ${first.request.id}: agent writer's file_write call runs now.\n`,
      );
      assert.equal((await settle(first.handle.result, "the approved turn")).status, "completed");
      assert.equal(await Deno.readTextFile(writer.file), "approved!");
      const decided = kernel.audit.list({ action: "approval.decided" }).entries[0]!;
      assert.equal(decided.actor, "local:local");

      const again = await talon(dataDir, "approval", "reject", first.request.id);
      assert.equal(again.code, 1);
      assert.match(again.err, /already approved/);

      await Deno.remove(writer.file);
      const second = await sendAndPark(kernel, writer.id);
      const tooLong = await talon(
        dataDir,
        "approval",
        "reject",
        second.request.id,
        "--reason",
        "x".repeat(2001),
      );
      assert.equal(tooLong.code, 2);
      assert.match(tooLong.err, /\(field reason\)\n$/);
      assert.equal(kernel.approvals.get(second.request.id).status, "pending");
      const rejected = await talon(
        dataDir,
        "approval",
        "reject",
        second.request.id,
        "--reason",
        "not now",
      );
      assert.equal(rejected.code, 0, rejected.err);
      assert.match(rejected.out, /call was denied \(not now\)\.\n$/);
      await settle(second.handle.result, "the rejected turn");
      assert.equal(await exists(writer.file), false, "a rejected call never writes");
      ids = [first.request.id, second.request.id];
      for (const step of [...READS, ...ids.map((id) => ["approval", "show", id])]) {
        remote.push(printed(step, await talon(dataDir, ...step)));
      }
    } finally {
      await stopServing();
    }
    const local: string[] = [];
    for (const step of [...READS, ...ids.map((id) => ["approval", "show", id])]) {
      local.push(printed(step, await talon(dataDir, ...step)));
    }
    assert.deepEqual(local, remote);
    assert.match(local[0]!, /rejected\s+writer\s+file_write\s+\w+\s+\S+ \S+\s+local:local\n/);
    assert.match(local[3]!, /No pending approval requests\.\n$/);
    assert.match(local[5]!, /\[2\]\nerror: .*\(field status\)\n$/);
    assert.match(local[6]!, /\[1\]\nerror: no approval request "no-such-request"/);
    assert.equal(JSON.parse(local[2]!.split("\n").slice(2).join("\n"))[0].reason, "not now");
  });
});
