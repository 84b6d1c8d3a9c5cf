import assert from "node:assert/strict";
import { startFakeAnthropic } from "../../fakes/anthropic_server.ts";
import { startFakeOpenAi } from "../../fakes/openai_server.ts";
import { cleanEnv, REPO_ROOT } from "../../talon_process.ts";

Deno.test("both drivers work under a static --allow-env that names only the key variable", async () => {
  await using openai = startFakeOpenAi([{ text: "hello from openai" }]);
  await using anthropic = startFakeAnthropic([{ text: "hello from anthropic" }]);
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--no-prompt",
      "--allow-net=127.0.0.1",
      "--allow-read",
      "--allow-env=LOCAL_KEY",
      `${REPO_ROOT}tests/kernel/llm/restricted_env_probe.ts`,
      openai.url,
      anthropic.url,
    ],
    cwd: REPO_ROOT,
    env: cleanEnv({ LOCAL_KEY: "probe-key" }),
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, stderr);
  assert.equal(
    new TextDecoder().decode(out.stdout),
    "openai: hello from openai\nanthropic: hello from anthropic\n",
  );
  assert.equal(openai.requests[0]!.headers.authorization, "Bearer probe-key");
});
