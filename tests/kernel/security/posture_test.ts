import assert from "node:assert/strict";
import { withKernel } from "../fixtures.ts";

const codes = (p: { findings: { code: string; severity: string }[] }) =>
  p.findings.map((f) => `${f.severity}:${f.code}`);

Deno.test("securityPosture() on the default config reports nothing dangerous", async () => {
  await withKernel(async (kernel) => {
    kernel.agents.spawn({ name: "helper" });
    await kernel.tokens.create({ role: "admin", name: "t", actor: "test" });
    const p = await kernel.securityPosture({ source: "local" });
    assert.equal(p.dangerous, false, JSON.stringify(p.findings));
    assert.deepEqual(codes(p), []);
    assert.equal(p.permissions, null, "in-process runs do not report the CLI's permissions");
    assert.equal(p.server.loopback, true);
    assert.deepEqual(p.max_capabilities.beyond_defaults, []);
    assert.ok(p.files.some((f) => f.path.endsWith("talon.db") && f.mode === "0600"));
    assert.deepEqual(p.agents.map((a) => a.name), ["helper"]);
  });
});

Deno.test("securityPosture() flags a bind beyond loopback with no token, and not once a token exists", async () => {
  await withKernel(async (kernel) => {
    const p = await kernel.securityPosture({ source: "local" });
    assert.deepEqual(codes(p), ["danger:open_bind"]);
    assert.match(p.findings[0]!.message, /0\.0\.0\.0/);
    await kernel.tokens.create({ role: "viewer", name: "t", actor: "test" });
    assert.equal((await kernel.securityPosture({ source: "local" })).dangerous, false);
  }, { config: '[server]\nhost = "0.0.0.0"\n' });
});

Deno.test("securityPosture() flags shell_exec with net_connect:* running unattended, and wide max_capabilities without gates", async () => {
  const config = [
    'max_capabilities = ["net_connect:*", "shell_exec", "memory_read"]',
    "[approvals]",
    'auto_approve = ["shell_exec"]',
  ].join("\n");
  await withKernel(async (kernel) => {
    kernel.agents.spawn({
      name: "ops",
      capabilities: ["shell_exec", "net_connect:*"],
      tools: ["shell_exec", "web_fetch"],
    });
    kernel.agents.spawn({ name: "narrow", capabilities: ["shell_exec"], tools: ["shell_exec"] });
    const p = await kernel.securityPosture({ source: "local" });
    assert.deepEqual(codes(p), ["danger:shell_and_net_ungated", "danger:wide_caps_ungated"]);
    assert.match(p.findings[0]!.message, /"ops"/);
    assert.match(p.findings[1]!.message, /shell_exec/);
    const ops = p.agents.find((a) => a.name === "ops")!;
    assert.deepEqual(ops.sinks.map((s) => [s.tool, s.gated_by]), [
      ["shell_exec", null],
      ["web_fetch", null],
    ]);
  }, { config });

  // The same agents with shell_exec's own approval gate left on: nothing dangerous.
  await withKernel(async (kernel) => {
    kernel.agents.spawn({
      name: "ops",
      capabilities: ["shell_exec", "net_connect:*"],
      tools: ["shell_exec"],
    });
    const p = await kernel.securityPosture({ source: "local" });
    assert.equal(p.dangerous, false, JSON.stringify(p.findings));
    assert.match(p.agents[0]!.sinks[0]!.gated_by!, /always needs approval/);
  }, { config: 'max_capabilities = ["net_connect:*", "shell_exec"]\n' });
});

Deno.test("securityPosture() flags a data dir or database other users can access", async () => {
  await withKernel(async (kernel, dir) => {
    await kernel.tokens.create({ role: "admin", name: "t", actor: "test" });
    await Deno.chmod(`${dir}/talon.db`, 0o644);
    let p = await kernel.securityPosture({ source: "local" });
    assert.deepEqual(codes(p), ["danger:files_readable"]);
    assert.match(p.findings[0]!.message, /talon\.db \(0644\)/);
    await Deno.chmod(`${dir}/talon.db`, 0o600);
    await Deno.chmod(dir, 0o755);
    p = await kernel.securityPosture({ source: "local" });
    assert.deepEqual(codes(p), ["danger:files_readable"]);
    await Deno.chmod(dir, 0o700);
    assert.equal((await kernel.securityPosture({ source: "local" })).dangerous, false);
  });
});

Deno.test("securityPosture() warns, without failing, on SSRF exceptions and a server's unscoped permissions", async () => {
  await withKernel(async (kernel) => {
    await kernel.tokens.create({ role: "admin", name: "t", actor: "test" });
    // Tests run with --allow-all, so the server-side view sees unscoped permissions.
    const p = await kernel.securityPosture({ source: "server" });
    assert.deepEqual(codes(p), ["warning:wide_permissions", "warning:ssrf_allow_hosts"]);
    assert.equal(p.dangerous, false);
    assert.ok(p.permissions!.some((x) => x.name === "run" && x.unscoped));
  }, { config: '[tools.web]\nallow_hosts = ["127.0.0.1"]\n' });
});
