import assert from "node:assert/strict";
import { runProcess, type RunProcessOptions } from "../../../kernel/sandbox/mod.ts";
import { settle, talonError, withTempDir } from "../fixtures.ts";

const PATH = "/usr/local/bin:/usr/bin:/bin";

function options(cwd: string, extra: Partial<RunProcessOptions> = {}): RunProcessOptions {
  return { cwd, env: { PATH }, timeoutMs: 10_000, maxOutputBytes: 65_536, ...extra };
}

/**
 * True while `pid` is a live process. `kill -0` also succeeds on a zombie (a
 * dead process its new parent, PID 1 here, has not reaped yet), so a zombie
 * counts as gone.
 */
async function running(pid: number): Promise<boolean> {
  const probe = await new Deno.Command("kill", { args: ["-0", String(pid)], stderr: "null" })
    .output();
  if (probe.code !== 0) return false;
  try {
    const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

Deno.test("runProcess() clears the environment: a secret of the parent is not visible", async () => {
  Deno.env.set("TALON_TEST_PARENT_SECRET", "hunter2");
  try {
    await withTempDir(async (dir) => {
      const result = await runProcess(["env"], options(dir, { env: { PATH, ONLY: "this" } }));
      assert.equal(result.code, 0);
      assert.doesNotMatch(result.stdout, /TALON_TEST_PARENT_SECRET|hunter2/);
      assert.deepEqual(result.stdout.trim().split("\n").sort(), [`ONLY=this`, `PATH=${PATH}`]);
    });
  } finally {
    Deno.env.delete("TALON_TEST_PARENT_SECRET");
  }
});

Deno.test("runProcess() passes argv literally: '; rm -rf' in an argument is just text", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/canary`, "alive");
    const evil = `x; rm -rf ${dir}/canary; echo pwned $(id) \`id\` | cat > ${dir}/out`;
    const result = await runProcess(["printf", "%s\\n", evil], options(dir));
    assert.equal(result.stdout, `${evil}\n`);
    assert.equal(await Deno.readTextFile(`${dir}/canary`), "alive");
    await assert.rejects(Deno.stat(`${dir}/out`), Deno.errors.NotFound);
  });
});

Deno.test("runProcess() runs in the given directory and reports exit codes and stderr", async () => {
  await withTempDir(async (dir) => {
    const real = await Deno.realPath(dir);
    const pwd = await runProcess(["pwd"], options(dir));
    assert.equal(pwd.stdout, `${real}\n`);
    const failing = await runProcess(["sh", "-c", "echo oops >&2; exit 3"], options(dir));
    assert.deepEqual([failing.code, failing.signal, failing.stderr, failing.timedOut], [
      3,
      null,
      "oops\n",
      false,
    ]);
  });
});

Deno.test("runProcess() kills the whole process group at its timeout: child and grandchild are gone", async () => {
  await withTempDir(async (dir) => {
    // An 8 s limit: the grandchild is seen alive before it, however slow the box.
    const run = runProcess(
      ["sh", "-c", "sleep 300 & echo $! > grandchild.pid; sleep 300"],
      options(dir, { timeoutMs: 8000 }),
    );
    // While it runs, the grandchild is alive.
    let grandchild = 0;
    while (grandchild === 0) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const text = await Deno.readTextFile(`${dir}/grandchild.pid`).catch(() => "");
      if (text.trim()) grandchild = Number(text.trim());
    }
    assert.equal(await running(grandchild), true, "the grandchild sleep runs before the timeout");
    // A hang guard well below the 300 s sleeps: only the limit can end the run this soon.
    const result = await settle(run, "the timed-out run", 60_000);
    assert.equal(result.timedOut, true);
    assert.equal(result.signal, "SIGKILL");
    assert.equal(await running(result.pid), false, "the child is gone");
    assert.equal(await running(grandchild), false, "the grandchild is gone");
  });
});

Deno.test("runProcess() stops at its abort signal and leaves nothing of the group running", async () => {
  await withTempDir(async (dir) => {
    const abort = new AbortController();
    const run = runProcess(
      ["sh", "-c", "sleep 300 & sleep 300"],
      options(dir, { signal: abort.signal }),
    );
    setTimeout(() => abort.abort(), 100);
    const result = await run;
    assert.equal(result.signal, "SIGKILL");
    assert.equal(result.timedOut, false);
    assert.equal(await running(result.pid), false);
  });
});

Deno.test("runProcess() kills what a finished command left running in its group", async () => {
  await withTempDir(async (dir) => {
    const result = await runProcess(
      ["sh", "-c", "sleep 300 & echo $! > left.pid; echo done"],
      options(dir),
    );
    assert.equal(result.stdout, "done\n");
    const left = Number((await Deno.readTextFile(`${dir}/left.pid`)).trim());
    assert.equal(await running(left), false);
  });
});

Deno.test("runProcess() keeps the first max_output_bytes of output and says it cut the rest", async () => {
  await withTempDir(async (dir) => {
    const result = await runProcess(
      ["sh", "-c", "head -c 100000 /dev/zero | tr '\\0' a"],
      options(dir, { maxOutputBytes: 10 }),
    );
    assert.equal(result.stdout, "aaaaaaaaaa");
    assert.equal(result.truncated, true);
  });
});

Deno.test("runProcess() names a program it cannot find", async () => {
  await withTempDir(async (dir) => {
    await assert.rejects(
      runProcess(["no-such-program-xyz"], options(dir)),
      talonError("not_found", /program "no-such-program-xyz" was not found/),
    );
  });
});
