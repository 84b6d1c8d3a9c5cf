import assert from "node:assert/strict";
import {
  ensureDataDir,
  findLiveServer,
  lockDataDir,
  readServerInfo,
  removeServerInfo,
  type ServerInfo,
  tryLockDataDir,
  writeServerInfo,
} from "../../kernel/data_dir.ts";
import { talonError, withTempDir } from "./fixtures.ts";

const INFO: ServerInfo = {
  pid: 1234,
  host: "127.0.0.1",
  port: 4200,
  url: "http://127.0.0.1:4200",
  credential: "c".repeat(43),
  started_at: "2024-01-01T00:00:00.000Z",
  version: "0.1.0",
};

Deno.test("ensureDataDir() creates the dir with mode 0700 and accepts an existing one", async () => {
  await withTempDir(async (dir) => {
    const data = `${dir}/a/b`;
    await ensureDataDir(data);
    assert.equal((await Deno.stat(data)).mode! & 0o777, 0o700);
    await ensureDataDir(data);
    await Deno.writeTextFile(`${dir}/file`, "");
    await assert.rejects(ensureDataDir(`${dir}/file`), talonError("invalid_config"));
  });
});

Deno.test("lockDataDir() is exclusive until released", async () => {
  await withTempDir(async (dir) => {
    const lock = await lockDataDir(dir);
    assert.equal(await tryLockDataDir(dir), undefined);
    await assert.rejects(lockDataDir(dir), talonError("data_dir_locked", /--data-dir/));
    lock.release();
    lock.release();
    const again = await lockDataDir(dir);
    again.release();
  });
});

Deno.test("tryLockDataDir() waits up to waitMs for a holder to let go", async () => {
  await withTempDir(async (dir) => {
    const lock = await lockDataDir(dir);
    const timer = setTimeout(() => lock.release(), 100);
    const waited = await tryLockDataDir(dir, { waitMs: 30_000 });
    clearTimeout(timer);
    assert.ok(waited, "the lock was taken once released");
    waited.release();
  });
});

Deno.test("writeServerInfo() round-trips through readServerInfo() with mode 0600", async () => {
  await withTempDir(async (dir) => {
    assert.equal(await readServerInfo(dir), undefined);
    await writeServerInfo(dir, INFO);
    assert.deepEqual(await readServerInfo(dir), INFO);
    assert.equal((await Deno.stat(`${dir}/server.json`)).mode! & 0o777, 0o600);
    const leftovers = [];
    for await (const entry of Deno.readDir(dir)) leftovers.push(entry.name);
    assert.deepEqual(leftovers, ["server.json"], "no temp file left behind");
    await removeServerInfo(dir);
    assert.equal(await readServerInfo(dir), undefined);
    await removeServerInfo(dir);
  });
});

Deno.test("readServerInfo() treats garbage as absent", async () => {
  await withTempDir(async (dir) => {
    for (const text of ["not json", "{}", JSON.stringify({ ...INFO, port: "x" })]) {
      await Deno.writeTextFile(`${dir}/server.json`, text);
      assert.equal(await readServerInfo(dir), undefined, text);
    }
  });
});

Deno.test("findLiveServer() needs both server.json and a held lock", async () => {
  await withTempDir(async (dir) => {
    assert.equal(await findLiveServer(dir), undefined);
    await writeServerInfo(dir, INFO);
    assert.equal(await findLiveServer(dir), undefined, "stale server.json with a free lock");
    const lock = await lockDataDir(dir);
    try {
      assert.deepEqual(await findLiveServer(dir), INFO);
    } finally {
      lock.release();
    }
  });
});

Deno.test("readServerInfo() and findLiveServer() surface a server.json they cannot read", async () => {
  await withTempDir(async (dir) => {
    // A directory where the file should be: reading fails with something other than NotFound.
    await Deno.mkdir(`${dir}/server.json`);
    await Deno.writeTextFile(`${dir}/server.json/keep`, "");
    await assert.rejects(readServerInfo(dir), (e) => !(e instanceof Deno.errors.NotFound));
    await assert.rejects(findLiveServer(dir), (e) => !(e instanceof Deno.errors.NotFound));
    await assert.rejects(removeServerInfo(dir), (e) => !(e instanceof Deno.errors.NotFound));
  });
});

Deno.test("a permission error reading server.json is not taken for 'no server'", async () => {
  await withTempDir(async (dir) => {
    await writeServerInfo(dir, INFO);
    const module = new URL("../../kernel/data_dir.ts", import.meta.url).href;
    const script = `import { findLiveServer } from ${JSON.stringify(module)};
      try {
        console.log(JSON.stringify({ found: await findLiveServer(${
      JSON.stringify(dir)
    }) ?? null }));
      } catch (error) {
        console.log(JSON.stringify({ error: error.name }));
      }`;
    await Deno.writeTextFile(`${dir}/probe.ts`, script);
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        `--config=${new URL("../../deno.json", import.meta.url).pathname}`,
        "--allow-read",
        "--allow-write",
        `--deny-read=${dir}/server.json`,
        `${dir}/probe.ts`,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.ok(out.success, stderr);
    const result = JSON.parse(new TextDecoder().decode(out.stdout));
    assert.deepEqual(result, { error: "NotCapable" }, stderr);
  });
});
