import assert from "node:assert/strict";
import { bootQuiet, serveDataDir, talon } from "./cli_fixtures.ts";

async function withDataDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "talon-security-cli-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("talon security audit: clean on the defaults in-process, exit 1 naming the danger of an open bind", async () => {
  await withDataDir(async (dir) => {
    const kernel = await bootQuiet(dir);
    await kernel.close();
    await Deno.writeTextFile(`${dir}/config.toml`, '[server]\nhost = "0.0.0.0"\n');
    const bad = await talon(dir, "security", "audit");
    assert.equal(bad.code, 1, bad.out + bad.err);
    assert.match(bad.out, /DANGER\s+open_bind: the server binds 0\.0\.0\.0, beyond loopback/);
    assert.match(bad.out, /fix: create an admin token/);
    assert.match(bad.out, /Verdict: DANGEROUS/);
    const asJson = await talon(dir, "security", "audit", "--json");
    assert.equal(asJson.code, 1);
    assert.equal(JSON.parse(asJson.out).findings[0].code, "open_bind");

    await Deno.remove(`${dir}/config.toml`);
    const clean = await talon(dir, "security", "audit");
    assert.equal(clean.code, 0, clean.out + clean.err);
    assert.match(clean.out, /No findings/);
    assert.match(clean.out, /Verdict: nothing dangerous/);
    assert.match(clean.out, /Permissions: checked only through a running server/);
  });
});

Deno.test("talon security audit goes through a running server with its admin credential", async () => {
  await withDataDir(async (dir) => {
    const kernel = await bootQuiet(dir);
    kernel.agents.spawn({ name: "ops", capabilities: ["net_connect:*"], tools: ["web_fetch"] });
    const stop = await serveDataDir(kernel, dir);
    try {
      const res = await talon(dir, "security", "audit", "--json");
      const posture = JSON.parse(res.out);
      assert.equal(posture.source, "server");
      assert.ok(Array.isArray(posture.permissions), "the server reports its own permissions");
      assert.deepEqual(posture.agents[0].sinks.map((s: { tool: string }) => s.tool), [
        "web_fetch",
      ]);
      // The test process runs with --allow-all: a warning, never a failure.
      assert.equal(res.code, 0, res.err);
      assert.ok(
        posture.findings.every((f: { severity: string }) => f.severity === "warning"),
        res.out,
      );
      // A database made readable while the server runs is caught, exit 1.
      await Deno.chmod(`${dir}/talon.db`, 0o644);
      const bad = await talon(dir, "security", "audit");
      assert.equal(bad.code, 1, bad.out);
      assert.match(bad.out, /DANGER\s+files_readable: other users can access .*talon\.db \(0644\)/);
    } finally {
      await stop();
    }
  });
});
