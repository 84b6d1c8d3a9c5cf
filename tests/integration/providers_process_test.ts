/**
 * The "done when", as a user runs it: `talon agent spawn` and
 * `talon agent message` in real processes, with OPENAI_BASE_URL or
 * ANTHROPIC_BASE_URL pointing at a local server that speaks the provider's
 * wire format, and a key set.
 */
import assert from "node:assert/strict";
import { startFakeAnthropic } from "../fakes/anthropic_server.ts";
import { startFakeOpenAi } from "../fakes/openai_server.ts";
import { withTempDir } from "../kernel/fixtures.ts";
import { runTalon } from "../talon_process.ts";

const SECRET = "sk-test-abcdefghijklmnopqrstuvwxyz0123";

Deno.test("talon agent message streams an OpenAI-compatible model's answer and runs its tool calls", async () => {
  await withTempDir(async (dir) => {
    await using fake = startFakeOpenAi([
      { text: "Let me check.", toolCalls: [{ id: "call_1", name: "system_time", arguments: {} }] },
      { text: "It is time for tea." },
    ]);
    const env = { OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: SECRET };
    const spawned = await runTalon(
      [
        "agent",
        "spawn",
        "--name",
        "gpt",
        "--provider",
        "openai",
        "--model",
        "gpt-4o-mini",
        "--data-dir",
        dir,
      ],
      { env },
    );
    assert.equal(spawned.code, 0, spawned.stderr);
    const run = await runTalon(["agent", "message", "gpt", "what time is it?", "--data-dir", dir], {
      env,
    });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, "Let me check.It is time for tea.\n");
    assert.match(run.stderr, /\[tool system_time started\]\n\[tool system_time done\]/);
    assert.equal(fake.requests.length, 2);
    assert.equal(fake.requests[0]!.headers.authorization, `Bearer ${SECRET}`);
    const second = fake.requests[1]!.body as {
      model: string;
      messages: { role: string; content: unknown }[];
    };
    assert.equal(second.model, "gpt-4o-mini");
    const toolResult = second.messages.find((m) => m.role === "tool");
    assert.match(String(toolResult?.content), /UTC/);

    const budget = await runTalon(["budget", "show", "gpt", "--json", "--data-dir", dir], { env });
    const report = JSON.parse(budget.stdout);
    assert.ok(report.agents[0].used.tokens_last_hour > 0, "usage rows were written");
    assert.ok(report.agents[0].used.usd_last_day > 0, "priced by the built-in catalog");
    assert.ok(!(run.stdout + run.stderr + budget.stdout).includes(SECRET));
  });
});

Deno.test("talon agent message does the same with an Anthropic model", async () => {
  await withTempDir(async (dir) => {
    await using fake = startFakeAnthropic([
      { toolCalls: [{ id: "toolu_1", name: "system_time", input: { timezone: "Europe/Paris" } }] },
      { text: "Bonjour, it is evening." },
    ]);
    const env = { ANTHROPIC_BASE_URL: fake.url, ANTHROPIC_API_KEY: SECRET };
    const spawned = await runTalon(
      ["agent", "spawn", "--name", "claude", "--provider", "anthropic", "--data-dir", dir],
      { env },
    );
    assert.equal(spawned.code, 0, spawned.stderr);
    const run = await runTalon(
      ["agent", "message", "claude", "time in Paris?", "--data-dir", dir],
      {
        env,
      },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, "Bonjour, it is evening.\n");
    assert.match(run.stderr, /\[tool system_time done\]/);
    const second = fake.requests[1]!.body as { messages: { role: string; content: unknown }[] };
    assert.match(JSON.stringify(second.messages.at(-1)), /tool_result.*Europe\/Paris/);
  });
});

Deno.test("a bad key is a clear provider_auth error naming the variable, never the key", async () => {
  await withTempDir(async (dir) => {
    await using fake = startFakeOpenAi([
      {
        status: 401,
        error: { message: `Incorrect API key provided: ${SECRET}`, code: "invalid_api_key" },
      },
    ]);
    const env = { OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: SECRET };
    await runTalon(["agent", "spawn", "--name", "gpt", "--data-dir", dir], { env });
    const run = await runTalon(["agent", "message", "gpt", "hi", "--data-dir", dir], { env });
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      /provider "openai" rejected the API key \(401\); check OPENAI_API_KEY/,
    );
    assert.ok(!(run.stdout + run.stderr).includes(SECRET));
  });
});
