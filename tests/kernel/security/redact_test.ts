import assert from "node:assert/strict";
import { createLogger } from "../../../kernel/log.ts";
import { REDACTED, redactSecrets, redactText } from "../../../kernel/security/redact.ts";

const OPENAI_KEY = "sk-proj-abcdefghijklmnopqrstuvwx";
const ANTHROPIC_KEY = "sk-ant-api03-abcdefghijklmnopqrstuvwx";
const TALON_TOKEN = "tln_0123456789ab_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";

Deno.test("redactText() masks sk-, Bearer and tln_ shaped strings anywhere in text", () => {
  for (const secret of [OPENAI_KEY, ANTHROPIC_KEY, TALON_TOKEN]) {
    const out = redactText(`before ${secret} after`);
    assert.ok(!out.includes(secret.slice(4, 16)), out);
    assert.equal(out, `before ${REDACTED} after`);
  }
  const bearer = redactText("Authorization: Bearer abc.def-ghi_jkl123");
  assert.equal(bearer, `Authorization: ${REDACTED}`);
  assert.equal(redactText("bearer ABCDEFGHIJ"), REDACTED);
  assert.equal(redactText("ghp_" + "a".repeat(30)), REDACTED);
  assert.equal(redactText("AKIAABCDEFGHIJKLMNOP"), REDACTED);
});

Deno.test("redactText() leaves ordinary text alone", () => {
  for (
    const text of ["a risk-free plan", "sk-short", "Bearer of bad news", "tln_x", "tokens: 5", ""]
  ) {
    assert.equal(redactText(text), text);
  }
});

Deno.test("redactSecrets() masks values of secret-named keys at any depth", () => {
  const input = {
    api_key: "plain-value",
    apiKey: "another",
    token: "t",
    password: "hunter2",
    nested: { deeper: [{ client_secret: "s", Authorization: "Basic x" }] },
    safe: "visible",
    input_tokens: 12,
    enabled_token: true,
    no_token: null,
  };
  assert.deepEqual(redactSecrets(input), {
    api_key: REDACTED,
    apiKey: REDACTED,
    token: REDACTED,
    password: REDACTED,
    nested: { deeper: [{ client_secret: REDACTED, Authorization: REDACTED }] },
    safe: "visible",
    input_tokens: 12,
    enabled_token: true,
    no_token: null,
  });
  assert.equal(input.password, "hunter2", "the input is not mutated");
});

Deno.test("redactSecrets() redacts secret-shaped strings in values, arrays and errors", () => {
  const out = redactSecrets({
    msg: `called with ${OPENAI_KEY}`,
    list: ["ok", `Bearer ${"x".repeat(20)}`],
    error: new Error(`bad token ${TALON_TOKEN}`),
  }) as Record<string, unknown>;
  const text = JSON.stringify(out);
  assert.ok(!text.includes(OPENAI_KEY));
  assert.ok(!text.includes(TALON_TOKEN));
  assert.ok(!text.includes("x".repeat(20)));
  assert.deepEqual(out.error, { name: "Error", message: `bad token ${REDACTED}` });
});

Deno.test("redactSecrets() passes primitives through and cuts cycles", () => {
  assert.equal(redactSecrets(5), 5);
  assert.equal(redactSecrets(null), null);
  assert.equal(redactSecrets(undefined), undefined);
  assert.equal(redactSecrets(OPENAI_KEY), REDACTED);
  const cyclic: Record<string, unknown> = { name: "a" };
  cyclic.self = cyclic;
  assert.deepEqual(redactSecrets(cyclic), { name: "a", self: "[Circular]" });
});

Deno.test("createLogger() writes one JSON line per call with secrets redacted", () => {
  const lines: string[] = [];
  const log = createLogger("debug", { sink: (line) => lines.push(line) });
  log.info("calling provider", { api_key: OPENAI_KEY, detail: `key=${OPENAI_KEY}`, n: 3 });
  log.error(`auth failed for ${TALON_TOKEN}`);
  assert.equal(lines.length, 2);
  for (const line of lines) {
    assert.ok(!line.includes("\n"));
    assert.ok(!line.includes(OPENAI_KEY));
    assert.ok(!line.includes(TALON_TOKEN));
  }
  const first = JSON.parse(lines[0]!);
  assert.equal(first.level, "info");
  assert.equal(first.msg, "calling provider");
  assert.equal(first.api_key, REDACTED);
  assert.equal(first.detail, `key=${REDACTED}`);
  assert.equal(first.n, 3);
  assert.ok(!Number.isNaN(Date.parse(first.ts)));
  const second = JSON.parse(lines[1]!);
  assert.equal(second.level, "error");
  assert.equal(second.msg, `auth failed for ${REDACTED}`);
});

Deno.test("createLogger() drops lines below its level", () => {
  const lines: string[] = [];
  const log = createLogger("warn", { sink: (line) => lines.push(line) });
  log.debug("d");
  log.info("i");
  log.warn("w");
  log.error("e");
  assert.deepEqual(lines.map((l) => JSON.parse(l).msg), ["w", "e"]);
  const silent = createLogger("error", { sink: (line) => lines.push(line) });
  silent.warn("nope");
  assert.equal(lines.length, 2);
});

Deno.test("Logger.child() adds its fields to every line and keeps the level", () => {
  const lines: string[] = [];
  const log = createLogger("info", { sink: (line) => lines.push(line), fields: { svc: "k" } });
  const child = log.child({ agent_id: "a1", token: "secret-value" });
  child.debug("hidden");
  child.info("shown", { extra: 1 });
  assert.equal(lines.length, 1);
  const record = JSON.parse(lines[0]!);
  assert.equal(record.svc, "k");
  assert.equal(record.agent_id, "a1");
  assert.equal(record.token, REDACTED);
  assert.equal(record.extra, 1);
});

Deno.test("redactSecrets() keeps an object referenced twice without a cycle", () => {
  // "cycles are cut" — but a shared, acyclic reference is not a cycle and
  // must be logged in full both times.
  const usage = { input_tokens: 1, output_tokens: 2 };
  assert.deepEqual(redactSecrets({ a: usage, b: usage }), { a: usage, b: usage });
  assert.deepEqual(redactSecrets([usage, usage]), [usage, usage]);
});
