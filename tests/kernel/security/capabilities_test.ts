import assert from "node:assert/strict";
import { capabilityCovers, missingCapabilities } from "../../../kernel/security/capabilities.ts";
import { isCapability } from "../../../kernel/types.ts";

function covers(grant: string, wanted: string, expected: boolean): void {
  assert.equal(
    capabilityCovers(grant, wanted),
    expected,
    `${grant} ${expected ? "should" : "should not"} cover ${wanted}`,
  );
}

Deno.test("capabilityCovers() matches plain capabilities exactly", () => {
  covers("file_read", "file_read", true);
  covers("file_read", "file_write", false);
  covers("shell_exec", "shell_exec", true);
  covers("agent_spawn", "agent_kill", false);
  covers("file_read", "file_read:x", false);
});

Deno.test("capabilityCovers() lets net_connect:* cover any host and port", () => {
  covers("net_connect:*", "net_connect:api.github.com:443", true);
  covers("net_connect:*", "net_connect:example.com", true);
  covers("net_connect:*", "net_connect:*.example.com", true);
  covers("net_connect:*", "net_connect:*", true);
  covers("net_connect:*", "file_read", false);
  covers("net_connect:*", "env_read:FOO", false);
});

Deno.test("capabilityCovers() treats *.example.com as subdomains only", () => {
  const grant = "net_connect:*.example.com";
  covers(grant, "net_connect:a.example.com", true);
  covers(grant, "net_connect:deep.a.example.com", true);
  covers(grant, "net_connect:*.b.example.com", true);
  covers(grant, "net_connect:a.example.com:8443", true);
  covers(grant, "net_connect:*.example.com", true);
  covers(grant, "net_connect:example.com", false);
  covers(grant, "net_connect:evil-example.com", false);
  covers(grant, "net_connect:a.example.com.evil.net", false);
  covers(grant, "net_connect:notexample.com", false);
  covers(grant, "net_connect:*", false);
});

Deno.test("capabilityCovers() narrower hosts never cover wider ones", () => {
  covers("net_connect:api.github.com", "net_connect:*.github.com", false);
  covers("net_connect:api.github.com", "net_connect:*", false);
  covers("net_connect:*.b.example.com", "net_connect:*.example.com", false);
  covers("net_connect:api.github.com", "net_connect:github.com", false);
});

Deno.test("capabilityCovers() respects port-restricted grants", () => {
  covers("net_connect:api.github.com:443", "net_connect:api.github.com:443", true);
  covers("net_connect:api.github.com:443", "net_connect:api.github.com:80", false);
  covers("net_connect:api.github.com:443", "net_connect:api.github.com", false);
  covers("net_connect:api.github.com", "net_connect:api.github.com:443", true);
  covers("net_connect:*:443", "net_connect:example.com:443", true);
  covers("net_connect:*:443", "net_connect:example.com:80", false);
  covers("net_connect:*:443", "net_connect:example.com", false);
  covers("net_connect:*.example.com:443", "net_connect:a.example.com:443", true);
  covers("net_connect:*.example.com:443", "net_connect:a.example.com:444", false);
});

Deno.test("capabilityCovers() handles env_read wildcards and exact keys", () => {
  covers("env_read:*", "env_read:FOO", true);
  covers("env_read:*", "env_read:*", true);
  covers("env_read:FOO", "env_read:FOO", true);
  covers("env_read:FOO", "env_read:BAR", false);
  covers("env_read:FOO", "env_read:*", false);
  covers("env_read:FOO", "env_read:FOOBAR", false);
  covers("env_read:*", "net_connect:example.com", false);
});

Deno.test("missingCapabilities() returns the wanted items no held item covers", () => {
  const held = ["file_read", "net_connect:*.example.com", "env_read:HOME"];
  assert.deepEqual(missingCapabilities(held, []), []);
  assert.deepEqual(
    missingCapabilities(held, ["file_read", "net_connect:a.example.com", "env_read:HOME"]),
    [],
  );
  assert.deepEqual(
    missingCapabilities(held, [
      "file_write",
      "net_connect:a.example.com",
      "net_connect:example.com",
      "env_read:PATH",
      "shell_exec",
    ]),
    ["file_write", "net_connect:example.com", "env_read:PATH", "shell_exec"],
  );
  assert.deepEqual(missingCapabilities([], ["file_read"]), ["file_read"]);
});

Deno.test("isCapability() accepts the vocabulary and rejects everything else", () => {
  for (
    const ok of [
      "file_read",
      "browser_control",
      "net_connect:*",
      "net_connect:*.example.com",
      "net_connect:api.github.com:443",
      "env_read:*",
      "env_read:OPENAI_API_KEY",
    ]
  ) {
    assert.ok(isCapability(ok), ok);
  }
  for (
    const bad of [
      "",
      "root",
      "file_read:x",
      "net_connect",
      "net_connect:",
      "net_connect:API.github.com",
      "net_connect:a..b",
      "net_connect:**.x.com",
      "net_connect:x.*.com",
      "net_connect:http://x.com",
      "env_read:",
      "env_read:1ABC",
      "env_read:A-B",
      "shell_exec:ls",
    ]
  ) {
    assert.ok(!isCapability(bad), bad);
  }
});
