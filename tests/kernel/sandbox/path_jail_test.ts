import assert from "node:assert/strict";
import { PathJail } from "../../../kernel/sandbox/mod.ts";
import { talonError, withTempDir } from "../fixtures.ts";

async function withJail(fn: (jail: PathJail, outside: string) => Promise<void>): Promise<void> {
  await withTempDir(async (dir) => {
    await Deno.mkdir(`${dir}/outside`);
    await Deno.writeTextFile(`${dir}/outside/secret.txt`, "secret");
    const jail = await PathJail.open(`${dir}/ws`);
    await fn(jail, `${dir}/outside`);
  });
}

Deno.test("PathJail.open() creates the root with mode 0700", async () => {
  await withJail(async (jail) => {
    assert.equal((await Deno.stat(jail.root)).mode! & 0o777, 0o700);
  });
});

Deno.test("PathJail resolves plain relative paths inside the root", async () => {
  await withJail(async (jail) => {
    await Deno.mkdir(`${jail.root}/sub`);
    await Deno.writeTextFile(`${jail.root}/sub/a.txt`, "a");
    const found = await jail.resolve("sub/./a.txt", "read");
    assert.equal(found.real, `${jail.root}/sub/a.txt`);
    assert.equal(found.relative, "sub/a.txt");
    const fresh = await jail.resolve("new/dir/b.txt", "write");
    assert.equal(fresh.real, `${jail.root}/new/dir/b.txt`);
    assert.equal(fresh.info, undefined);
    assert.equal((await jail.resolve(".", "list")).relative, ".");
    assert.equal((await jail.resolve(`${jail.root}/sub/a.txt`, "read")).relative, "sub/a.txt");
  });
});

Deno.test("PathJail refuses '..' in every spelling", async () => {
  await withJail(async (jail) => {
    for (
      const path of [
        "../outside/secret.txt",
        "sub/../../outside/secret.txt",
        "..",
        "a/..",
        "..\\outside\\secret.txt",
        "..%2foutside%2fsecret.txt",
        "%2e%2e/outside/secret.txt",
        "sub/%2E%2E%2F%2E%2E%2Foutside",
      ]
    ) {
      for (const use of ["read", "write", "list"] as const) {
        await assert.rejects(jail.resolve(path, use), talonError("path_denied"), `${path} ${use}`);
      }
    }
  });
});

Deno.test("PathJail refuses absolute paths outside the root and NUL bytes", async () => {
  await withJail(async (jail, outside) => {
    await assert.rejects(
      jail.resolve(`${outside}/secret.txt`, "read"),
      talonError("path_denied", /absolute paths must lie inside the workspace/),
    );
    await assert.rejects(jail.resolve("/etc/passwd", "read"), talonError("path_denied"));
    await assert.rejects(jail.resolve("/tmp/x.txt", "write"), talonError("path_denied"));
    await assert.rejects(jail.resolve("a\0b", "write"), talonError("path_denied", /NUL/));
  });
});

Deno.test("PathJail refuses a symlink out of the workspace, at any depth and for writes", async () => {
  await withJail(async (jail, outside) => {
    await Deno.symlink(`${outside}/secret.txt`, `${jail.root}/link.txt`);
    await Deno.symlink(outside, `${jail.root}/dirlink`);
    await Deno.symlink(`${outside}/missing.txt`, `${jail.root}/dangling.txt`);
    await assert.rejects(
      jail.resolve("link.txt", "read"),
      talonError("path_denied", /symlink in it points outside/),
    );
    await assert.rejects(jail.resolve("dirlink/secret.txt", "read"), talonError("path_denied"));
    await assert.rejects(jail.resolve("dirlink/new.txt", "write"), talonError("path_denied"));
    await assert.rejects(jail.resolve("dirlink", "list"), talonError("path_denied"));
    await assert.rejects(
      jail.resolve("dangling.txt", "write"),
      talonError("path_denied", /target does not exist/),
    );
    assert.equal(await Deno.readTextFile(`${outside}/secret.txt`), "secret");
  });
});

Deno.test("PathJail follows a symlink that stays inside the workspace", async () => {
  await withJail(async (jail) => {
    await Deno.mkdir(`${jail.root}/real`);
    await Deno.writeTextFile(`${jail.root}/real/a.txt`, "a");
    await Deno.symlink(`${jail.root}/real`, `${jail.root}/alias`);
    assert.equal((await jail.resolve("alias/a.txt", "read")).real, `${jail.root}/real/a.txt`);
  });
});

Deno.test("PathJail refuses device files, a symlink to a device and FIFOs", async () => {
  await withJail(async (jail) => {
    await assert.rejects(jail.resolve("/dev/zero", "read"), talonError("path_denied"));
    await Deno.symlink("/dev/zero", `${jail.root}/zero`);
    await assert.rejects(jail.resolve("zero", "read"), talonError("path_denied"));
    await assert.rejects(jail.resolve("zero", "write"), talonError("path_denied"));
    const mkfifo = await new Deno.Command("mkfifo", { args: [`${jail.root}/pipe`] }).output();
    assert.equal(mkfifo.code, 0);
    await assert.rejects(
      jail.resolve("pipe", "read"),
      talonError("path_denied", /not a regular file/),
    );
    await assert.rejects(jail.resolve("pipe", "write"), talonError("path_denied"));
  });
});

Deno.test("PathJail says when a file is missing or a folder is not a file", async () => {
  await withJail(async (jail) => {
    await assert.rejects(jail.resolve("nope.txt", "read"), talonError("not_found"));
    await Deno.mkdir(`${jail.root}/d`);
    await assert.rejects(jail.resolve("d", "read"), talonError("invalid_input", /directory/));
  });
});
