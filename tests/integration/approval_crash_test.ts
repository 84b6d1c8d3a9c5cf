import assert from "node:assert/strict";
import { getTurn } from "../../kernel/store/mod.ts";
import { boot, talonError, withTempDir } from "../kernel/fixtures.ts";
import { cleanEnv, REPO_ROOT } from "../talon_process.ts";

Deno.test("a process killed (SIGKILL) while a call waits for approval: at the next boot the request is expired, the turn interrupted, the file never written", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(
      `${dir}/config.toml`,
      'max_capabilities = ["file_write"]\n[approvals]\nrequire = ["file_write"]\n',
    );
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "--quiet",
        "--config",
        `${REPO_ROOT}deno.json`,
        `${REPO_ROOT}tests/integration/approval_crash_probe.ts`,
        dir,
      ],
      env: cleanEnv(),
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const stderr = new Response(child.stderr).text();
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let out = "";
    while (!out.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) {
        await child.status;
        assert.fail(`the probe exited before its request was pending:\n${out}\n${await stderr}`);
      }
      out += value;
    }
    child.kill("SIGKILL");
    await child.status;
    await reader.cancel();
    await stderr;
    const ids = JSON.parse(out.trim()) as {
      agent: string;
      turn: string;
      approval: string;
      file: string;
    };

    const kernel = await boot(dir);
    try {
      const request = kernel.approvals.get(ids.approval);
      assert.deepEqual([request.status, request.decided_by], ["expired", "system"]);
      assert.match(request.reason!, /restarted/);
      assert.equal(getTurn(kernel.db, ids.turn)!.status, "interrupted");
      assert.throws(
        () => kernel.approvals.approve(ids.approval, { actor: "token:op" }),
        talonError("illegal_transition"),
      );
      await assert.rejects(Deno.stat(ids.file), Deno.errors.NotFound);
    } finally {
      await kernel.close();
    }
  });
});
