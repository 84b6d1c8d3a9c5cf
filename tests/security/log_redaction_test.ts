/**
 * System 12, redaction: configured secret values never reach the server log.
 * Key shapes were always masked; a configured value (a provider key read
 * through `api_key_env`, an `env_read:` value) has no shape, so only the
 * kernel knows it — the server log goes through the kernel's SecretSet.
 */
import assert from "node:assert/strict";
import { call, withApi } from "../http/http_fixtures.ts";

const SECRET = "correct-horse-battery-staple-4711";

Deno.test("a configured secret value in a request path or a log field is masked in the server log", async () => {
  const lines: string[] = [];
  await withApi(async (f) => {
    const res = await call(f, "GET", `/api/agents/${SECRET}`, { token: f.tokens.viewer });
    assert.equal(res.status, 404);
    f.kernel.log.warn(`tool failed with ${SECRET}`, { detail: { echoed: `key=${SECRET}` } });
    f.kernel.log.child({ run: SECRET }).error("child logger");
    const cyclic: Record<string, unknown> = { note: "loop" };
    cyclic.self = cyclic;
    f.kernel.log.error("a failure", { error: new Error(`upstream said ${SECRET}`), cyclic });
  }, {
    config:
      '[providers.local]\nkind = "openai"\nbase_url = "http://127.0.0.1:9"\napi_key_env = "LOCAL_KEY"\n',
    env: { LOCAL_KEY: SECRET },
    logLevel: "info",
    logSink: (line) => lines.push(line),
  });
  const log = lines.join("\n");
  assert.ok(lines.some((l) => /"msg":"request"/.test(l)), "the request was logged");
  assert.ok(log.includes("[REDACTED]"), log);
  const failure = lines.map((l) => JSON.parse(l)).find((l) => l.msg === "a failure");
  assert.deepEqual(failure.error, { name: "Error", message: "upstream said [REDACTED]" });
  assert.equal(failure.cyclic.self, "[Circular]", "an error keeps its message; a cycle is cut");
  for (let i = 0; i + 8 <= SECRET.length; i++) {
    assert.ok(!log.includes(SECRET.slice(i, i + 8)), `a piece of the secret leaked: ${log}`);
  }
});
