import assert from "node:assert/strict";
import { configuredSecrets, SecretSet } from "../../../kernel/security/mod.ts";

const KEY = "plainValueNotKeyShaped42";

function streamAll(set: SecretSet, deltas: string[]): { out: string; releases: string[] } {
  const r = set.stream();
  const releases = deltas.map((d) => r.push(d));
  releases.push(r.flush());
  return { out: releases.join(""), releases };
}

Deno.test("SecretSet.redact() masks configured values and key shapes, ignores short values", () => {
  const set = new SecretSet().add(KEY, "short", "", undefined);
  assert.equal(set.size, 1);
  assert.equal(
    set.redact(`a ${KEY} b sk-abcdefghijklmnopqrstu c`),
    "a [REDACTED] b [REDACTED] c",
  );
  assert.deepEqual(set.redactValue({ x: [KEY], n: 3 }), { x: ["[REDACTED]"], n: 3 });
});

Deno.test("StreamRedactor catches a configured value split one character per delta", () => {
  const set = new SecretSet().add(KEY);
  const text = `before ${KEY} after`;
  const { out } = streamAll(set, [...text]);
  assert.equal(out, "before [REDACTED] after");
});

Deno.test("StreamRedactor catches a key-shaped token split across deltas and still growing", () => {
  const set = new SecretSet();
  const key = "sk-" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0";
  const deltas = ["x ", key.slice(0, 5), key.slice(5, 25), key.slice(25), " y"];
  const { out, releases } = streamAll(set, deltas);
  assert.equal(out, "x [REDACTED] y");
  for (const piece of releases) assert.ok(!piece.includes(key.slice(3, 11)));
});

Deno.test("StreamRedactor holds back only what could still become a secret", () => {
  const set = new SecretSet().add(KEY);
  const r = set.stream();
  assert.equal(r.push("hello world "), "hello world ", "nothing key-like is held");
  assert.equal(r.push("one two"), "one ", "the trailing word may grow into a key");
  assert.equal(r.push(" and plain"), "two and ", "a prefix of a configured value is held");
  assert.equal(r.push("Value"), "");
  assert.equal(r.push("NotKey"), "");
  assert.equal(r.push("Shaped42 done"), "[REDACTED] ");
  assert.equal(r.push(" Bearer "), "done ", "a bearer prefix waits for its token");
  assert.equal(r.push("abcdefghijkl."), "");
  assert.equal(r.flush(), "[REDACTED]");
});

Deno.test("configuredSecrets() reads key variables and env_read grants, not wildcards", () => {
  const env: Record<string, string> = {
    P_KEY: "providerkey-123456",
    FOO: "foo-secret-value",
    ANY: "x",
  };
  const set = configuredSecrets({
    keyEnvs: ["P_KEY", null, "MISSING"],
    capabilities: ["env_read:FOO", "env_read:*", "file_read"],
    env: (k) => env[k],
  });
  assert.equal(set.size, 2);
  assert.equal(set.redact("providerkey-123456 foo-secret-value"), "[REDACTED] [REDACTED]");
});
