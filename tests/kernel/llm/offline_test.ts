import assert from "node:assert/strict";
import type { ChatChunk, ChatRequest, PromptMessage } from "../../../kernel/llm/driver.ts";
import {
  createOfflineDriver,
  echoReply,
  loadOfflineScript,
  OFFLINE_EMBEDDING_DIMS,
  offlineEmbedding,
} from "../../../kernel/llm/offline.ts";
import { collect, talonError, withTempDir, writeScript } from "../fixtures.ts";

function request(messages: PromptMessage[], model = "echo", signal?: AbortSignal): ChatRequest {
  return { model, messages, tools: [], maxTokens: 1000, signal };
}

const user = (text: string): PromptMessage => ({ role: "user", text });
const assistant = (text: string): PromptMessage => ({ role: "assistant", text });

function texts(chunks: ChatChunk[]): string[] {
  return chunks.flatMap((c) => (c.type === "text" ? [c.text] : []));
}

Deno.test("offline driver plain mode streams echoReply() word by word, then end with usage", async () => {
  const driver = createOfflineDriver();
  assert.equal(driver.kind, "offline");
  const input = "what is the weather in Paris today";
  const chunks = await collect(
    driver.chat(request([{ role: "system", text: "sys" }, user(input)])),
  );
  const parts = texts(chunks);
  const reply = echoReply(input);
  assert.ok(parts.length > 5, "several text chunks");
  assert.equal(parts.join(""), reply);
  for (const part of parts) assert.equal(part.trim().split(/\s+/).length, 1, part);
  const end = chunks.at(-1)!;
  assert.equal(end.type, "end");
  assert.ok(end.type === "end");
  assert.equal(end.stopReason, "end_turn");
  assert.ok(end.usage.input_tokens > 0);
  assert.ok(end.usage.output_tokens > 0);
  assert.equal(chunks.filter((c) => c.type === "end").length, 1);
});

Deno.test("offline driver plain mode is deterministic and answers the last user message", async () => {
  const driver = createOfflineDriver();
  const messages = [user("first question"), assistant("ok"), user("second question")];
  const a = await collect(driver.chat(request(messages)));
  const b = await collect(driver.chat(request(messages)));
  assert.deepEqual(a, b);
  assert.match(texts(a).join(""), /"second question"/);
  assert.equal(texts(await collect(driver.chat(request([])))).join(""), echoReply(""));
});

Deno.test("echoReply() quotes at most 40 words of the input", () => {
  assert.match(echoReply("  hello   world \n"), /^Offline echo: "hello world"\./);
  const long = Array.from({ length: 50 }, (_, i) => `w${i}`).join(" ");
  const reply = echoReply(long);
  assert.match(reply, /w39 …"/);
  assert.ok(!reply.includes("w40"));
});

Deno.test("offline driver scripted mode plays the first matching turn, one step per call", async () => {
  await withTempDir(async (dir) => {
    const path = await writeScript(dir, {
      turns: [
        { match: "^weather", steps: [{ text: "it is sunny" }] },
        {
          match: "files?",
          steps: [
            { tool_calls: [{ name: "list_files", args: { dir: "/" } }, { name: "system_time" }] },
            { text: "here are your files" },
          ],
        },
        { match: "files", steps: [{ text: "never reached" }] },
      ],
    });
    const driver = createOfflineDriver();
    const model = `script:${path}`;
    const weather = await collect(driver.chat(request([user("weather please")], model)));
    assert.deepEqual(texts(weather), ["it ", "is ", "sunny"]);

    const step0 = await collect(driver.chat(request([user("show files")], model)));
    assert.deepEqual(texts(step0), []);
    const calls = step0.flatMap((c) => (c.type === "tool_call" ? [c.call] : []));
    assert.deepEqual(calls.map((c) => [c.name, c.args]), [
      ["list_files", { dir: "/" }],
      ["system_time", {}],
    ]);
    assert.equal(new Set(calls.map((c) => c.id)).size, 2, "call ids are distinct");
    const end0 = step0.at(-1)!;
    assert.ok(end0.type === "end" && end0.stopReason === "tool_use");

    const history: PromptMessage[] = [
      user("old files"),
      assistant("old answer"),
      user("show files"),
      { role: "assistant", text: "", tool_calls: calls },
      { role: "tool", tool_call_id: calls[0]!.id, text: "a.txt" },
    ];
    const step1 = await collect(driver.chat(request(history, model)));
    assert.equal(texts(step1).join(""), "here are your files");
    const end1 = step1.at(-1)!;
    assert.ok(end1.type === "end" && end1.stopReason === "end_turn");

    // Past the last step the script answers with empty text.
    const past = await collect(
      driver.chat(request([...history, assistant("here are your files")], model)),
    );
    assert.deepEqual(texts(past), []);
    assert.equal(past.at(-1)!.type, "end");
  });
});

Deno.test("offline driver scripted mode reports a step's usage override", async () => {
  await withTempDir(async (dir) => {
    const path = await writeScript(dir, {
      turns: [{ match: "", steps: [{ text: "x", usage: { input_tokens: 7, output_tokens: 9 } }] }],
    });
    const chunks = await collect(
      createOfflineDriver().chat(request([user("hi")], `script:${path}`)),
    );
    const end = chunks.at(-1)!;
    assert.ok(end.type === "end");
    assert.deepEqual(end.usage, { input_tokens: 7, output_tokens: 9 });
  });
});

Deno.test("offline driver uses defaultScript for models that name none", async () => {
  await withTempDir(async (dir) => {
    const path = await writeScript(dir, { turns: [{ match: ".", steps: [{ text: "scripted" }] }] });
    const driver = createOfflineDriver({ defaultScript: path });
    assert.deepEqual(texts(await collect(driver.chat(request([user("hi")])))), ["scripted"]);
  });
});

Deno.test("offline driver with no matching turn fails with driver_error", async () => {
  await withTempDir(async (dir) => {
    const path = await writeScript(dir, { turns: [{ match: "^only$", steps: [{ text: "x" }] }] });
    await assert.rejects(
      collect(createOfflineDriver().chat(request([user("something else")], `script:${path}`))),
      talonError("driver_error", /no turn matching/),
    );
  });
});

Deno.test("loadOfflineScript() refuses bad scripts with invalid_config naming the problem", async () => {
  await withTempDir(async (dir) => {
    const cases: [unknown, RegExp][] = [
      ["{not json", /not valid JSON/],
      [{ turns: [{ match: "x", steps: [{ text: "a", colour: 1 }] }] }, /colour/],
      [{ turns: [], extra: true }, /extra/],
      [{ turns: [{ match: "(unclosed", steps: [{ text: "a" }] }] }, /regular expression/],
      [{ turns: [{ match: "x", steps: [] }] }, /steps/],
      [{ turns: [{ match: "x", steps: [{ tool_calls: [{ args: {} }] }] }] }, /name/],
      [{ turns: [{ match: "x", steps: [{ delay_ms: -1 }] }] }, /delay_ms/],
      [[], /expected object/i],
    ];
    for (const [i, [script, pattern]] of cases.entries()) {
      const path = await writeScript(dir, script, `bad${i}.json`);
      await assert.rejects(
        loadOfflineScript(path),
        talonError("invalid_config", pattern),
        JSON.stringify(script),
      );
      await assert.rejects(
        collect(createOfflineDriver().chat(request([user("x")], `script:${path}`))),
        talonError("invalid_config"),
      );
    }
    await assert.rejects(
      loadOfflineScript(`${dir}/missing.json`),
      talonError("invalid_config", /missing\.json/),
    );
  });
});

Deno.test("offline driver stops streaming when the abort signal fires", async () => {
  await withTempDir(async (dir) => {
    const words = Array.from({ length: 20 }, (_, i) => `w${i}`).join(" ");
    const path = await writeScript(dir, {
      turns: [{ match: ".", steps: [{ text: words, delay_ms: 30 }] }],
    });
    const controller = new AbortController();
    const seen: ChatChunk[] = [];
    const reason = new Error("stop now");
    await assert.rejects(
      (async () => {
        const stream = createOfflineDriver().chat(
          request([user("go")], `script:${path}`, controller.signal),
        );
        for await (const chunk of stream) {
          seen.push(chunk);
          if (seen.length === 2) controller.abort(reason);
        }
      })(),
      (error) => error === reason,
    );
    assert.ok(seen.length < 20, `stream kept going: ${seen.length} chunks`);
    assert.ok(seen.every((c) => c.type === "text"), "no end chunk after an abort");
  });
});

Deno.test("offline driver refuses to start when the signal is already aborted", async () => {
  const controller = new AbortController();
  controller.abort(new Error("early"));
  await assert.rejects(
    collect(createOfflineDriver().chat(request([user("hi")], "echo", controller.signal))),
    /early/,
  );
});

Deno.test("offline driver embeds deterministically: 64 dims, unit length, input order", async () => {
  const driver = createOfflineDriver();
  const input = ["the cat sat on the mat", "The CAT sat on the mat!", "quarterly tax report"];
  const a = await driver.embed!({ model: "echo", input });
  const b = await driver.embed!({ model: "echo", input });
  assert.deepEqual(a, b);
  assert.equal(a.length, 3);
  for (const v of a) {
    assert.equal(v.length, OFFLINE_EMBEDDING_DIMS);
    assert.ok(Math.abs(Math.hypot(...v) - 1) < 1e-9);
  }
  assert.deepEqual(a[0], a[1], "case and punctuation do not matter");
  assert.deepEqual(a[2], offlineEmbedding(input[2]!));
  const cosine = (x: number[], y: number[]) => x.reduce((n, xi, i) => n + xi * y[i]!, 0);
  const related = offlineEmbedding("a cat on a mat");
  assert.ok(cosine(related, a[0]!) > cosine(related, a[2]!));
  assert.ok(offlineEmbedding("").every((x) => x === 0), "no words, zero vector");
});
