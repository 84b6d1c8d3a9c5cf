/**
 * The attack suite's index: each of the sixteen security systems of issue 18
 * with the files that attack it. Attack tests that already lived next to
 * their subsystem are gathered here by reference, not duplicated; a system
 * with no file yet is listed with an empty array so the gap stays visible.
 * The test fails when a listed file disappears (a rename must update this).
 *
 * @module
 */
import assert from "node:assert/strict";

/** System → attack test files, relative to tests/. */
export const ATTACK_SUITE: Record<string, readonly string[]> = {
  "1 RBAC": ["http/role_matrix_test.ts", "http/budget_roles_test.ts"],
  "2 tokens and sessions": [
    "kernel/security/tokens_test.ts",
    "kernel/security/web_sessions_test.ts",
    "http/auth_session_test.ts",
  ],
  "3 capabilities": [
    "kernel/security/capabilities_test.ts",
    "kernel/tools/builtins/capability_denial_test.ts",
  ],
  "4 capability inheritance": [
    "kernel/agent/registry_test.ts",
    "kernel/tools/builtins/agent_spawn_kill_test.ts",
  ],
  "5 Deno permissions of start": ["integration/permissions_test.ts"],
  "6 Worker watchdog": [
    "kernel/sandbox/worker_pool_test.ts",
    "integration/sandbox_done_when_test.ts",
  ],
  "7 WASM fuel, memory, host allow-list": [
    "kernel/sandbox/fuel_test.ts",
    "kernel/skills/skill_sandbox_test.ts",
    "kernel/skills/skill_install_test.ts",
  ],
  "8 SSRF (rebinding, redirects)": [
    "kernel/security/ssrf_guard_test.ts",
    "kernel/tools/builtins/web_tools_test.ts",
  ],
  "9 path jail": ["kernel/sandbox/path_jail_test.ts", "kernel/tools/builtins/file_tools_test.ts"],
  "10 taint": ["security/taint_test.ts"],
  "11 injection scanner": ["security/injection_scanner_test.ts", "security/quarantine_test.ts"],
  "12 redaction and exfiltration": [
    "security/redaction_exfiltration_test.ts",
    "security/log_redaction_test.ts",
    "security/exfiltration_test.ts",
    "kernel/security/secret_set_test.ts",
    "kernel/security/redact_test.ts",
    "kernel/protocols/mcp_secrets_test.ts",
  ],
  "13 audit chain and anchors": [
    "security/audit_anchors_test.ts",
    "security/audit_actors_test.ts",
    "kernel/security/audit_tamper_test.ts",
  ],
  "14 identity and signatures": [
    "security/identity_signatures_test.ts",
    "security/a2a_signatures_test.ts",
    "security/data_at_rest_test.ts",
    "cli/identity_cli_test.ts",
    "kernel/store/database_mode_test.ts",
  ],
  "15 loop guard, caps, timeouts, budgets": [
    "kernel/agent/loop_guard_test.ts",
    "kernel/scheduler/budget_test.ts",
    "kernel/scheduler/budget_kernel_test.ts",
  ],
  "16 web hardening": [
    "http/csrf_headers_test.ts",
    "http/rate_limit_test.ts",
  ],
};

Deno.test("attack suite index: all sixteen systems are listed and every listed file exists", async () => {
  assert.equal(Object.keys(ATTACK_SUITE).length, 16);
  for (const [system, files] of Object.entries(ATTACK_SUITE)) {
    for (const file of files) {
      const stat = await Deno.stat(new URL(`../${file}`, import.meta.url)).catch(() => undefined);
      assert.ok(stat?.isFile, `${system}: ${file} is missing`);
    }
  }
});
