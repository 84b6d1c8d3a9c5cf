import assert from "node:assert/strict";
import { openDatabase } from "../../../kernel/store/mod.ts";

async function modes(path: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const suffix of ["", "-wal", "-shm"]) {
    out[`talon.db${suffix}`] = ((await Deno.stat(path + suffix)).mode! & 0o777).toString(8);
  }
  return out;
}

const OWNER_ONLY = { "talon.db": "600", "talon.db-wal": "600", "talon.db-shm": "600" };

Deno.test({
  name: "openDatabase() creates talon.db and its WAL and SHM files owner-only (0600)",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      const path = `${dir}/talon.db`;
      const db = openDatabase(path);
      db.exec("CREATE TABLE t (x); INSERT INTO t VALUES (1)");
      assert.deepEqual(await modes(path), OWNER_ONLY);
      db.close();
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "openDatabase() narrows a world-readable database and WAL left by an older version",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      const path = `${dir}/talon.db`;
      const first = openDatabase(path);
      first.exec("CREATE TABLE t (x); INSERT INTO t VALUES (1)");
      for (const suffix of ["", "-wal", "-shm"]) await Deno.chmod(path + suffix, 0o644);
      const second = openDatabase(path);
      second.exec("INSERT INTO t VALUES (2)");
      assert.deepEqual(await modes(path), OWNER_ONLY);
      second.close();
      first.close();
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
