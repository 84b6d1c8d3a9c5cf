/**
 * Data at rest (issue 18, item 8): every file Talon writes that holds agent
 * data is owner-only. `talon.db` and its WAL/SHM files are covered by
 * tests/kernel/store/database_mode_test.ts; here: backups taken without a
 * server, session exports, and the identity key file — each also when an
 * older file with wider permissions is already there.
 *
 * @module
 */
import assert from "node:assert/strict";
import { bootQuiet, talon } from "../cli/cli_fixtures.ts";
import { settle, withTempDir } from "../kernel/fixtures.ts";

async function modeOf(path: string): Promise<number> {
  return (await Deno.stat(path)).mode! & 0o777;
}

Deno.test({
  name: "data at rest: a backup and a session export written by the CLI are 0600",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    await withTempDir(async (dir) => {
      const kernel = await bootQuiet(dir);
      try {
        const agent = kernel.agents.spawn({ name: "bot" });
        await settle(kernel.agents.send(agent.id, "remember the launch codes").result, "turn");
      } finally {
        await kernel.close();
      }
      const backup = await talon(dir, "backup", `${dir}/copy.db`);
      assert.equal(backup.code, 0, backup.err);
      assert.equal(await modeOf(`${dir}/copy.db`), 0o600);
      const exported = await talon(dir, "session", "export", "bot", "-o", `${dir}/s.json`);
      assert.equal(exported.code, 0, exported.err);
      assert.match(await Deno.readTextFile(`${dir}/s.json`), /launch codes/);
      assert.equal(await modeOf(`${dir}/s.json`), 0o600);
      assert.equal(await modeOf(`${dir}/talon.db`), 0o600);
    });
  },
});

Deno.test({
  name:
    "data at rest: the identity key file is created 0600, and narrowed to 0600 when found wider",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    await withTempDir(async (dir) => {
      const first = await bootQuiet(dir);
      let agentId = "";
      try {
        agentId = first.agents.spawn({ name: "keyed" }).id;
        await first.identity.identity.signAs(agentId, { n: 1 });
      } finally {
        await first.close();
      }
      assert.equal(await modeOf(`${dir}/identity.key`), 0o600);
      await Deno.chmod(`${dir}/identity.key`, 0o644);
      const second = await bootQuiet(dir);
      try {
        await second.identity.identity.signAs(agentId, { n: 2 });
      } finally {
        await second.close();
      }
      assert.equal(await modeOf(`${dir}/identity.key`), 0o600);
    });
  },
});
