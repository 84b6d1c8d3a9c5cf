import assert from "node:assert/strict";
import { storedSession, SUMMARY_HEADING, withSummary } from "../../../kernel/agent/mod.ts";
import { buildPrompt } from "../../../kernel/agent/agent_loop.ts";
import { repairPrompt } from "../../../kernel/agent/session_repair.ts";
import type { Kernel } from "../../../kernel/kernel.ts";
import * as store from "../../../kernel/store/mod.ts";
import { boot, settle, talonError, withKernel, withTempDir, writeScript } from "../fixtures.ts";

/** A script: "tool …" turns call system_time then answer; others answer in one step. */
function toolScript(): unknown {
  return {
    turns: [
      {
        match: "^tool",
        steps: [
          { tool_calls: [{ name: "system_time", args: { timezone: "UTC" } }] },
          { text: "It is some time now. Done." },
        ],
      },
      { match: ".", steps: [{ text: "Noted. I will remember that." }] },
    ],
  };
}

function messageRows(kernel: Kernel): unknown[] {
  return kernel.db.prepare("SELECT id, session_id, role, content, seq FROM messages ORDER BY id")
    .all().map((r) => ({ ...r }));
}

function currentSession(kernel: Kernel, agentId: string): string {
  return store.currentSessionId(kernel.db, agentId)!;
}

Deno.test("compaction cuts between turns: every tool result after it still has its call, and nothing stored changes", async () => {
  await withKernel(async (kernel, dir) => {
    const script = await writeScript(dir, toolScript());
    const agent = kernel.agents.spawn({ name: "toolish", model: `script:${script}` });
    for (let i = 0; i < 6; i++) {
      const text = i % 2 === 0 ? `tool call number ${i}` : `fact number ${i} is ${i * 7}`;
      const r = await settle(kernel.agents.send(agent.id, text).result, `turn ${i}`);
      assert.equal(r.status, "completed");
    }
    const before = messageRows(kernel);
    const result = await kernel.sessions.compact(agent.id, { actor: "test" });
    assert.equal(result.compacted, true);
    assert.deepEqual(messageRows(kernel), before, "the stored record is unchanged");

    const sessionId = currentSession(kernel, agent.id);
    const session = storedSession(kernel.db, { agentId: agent.id, sessionId, historyLimit: 200 });
    const history = session.history();
    assert.equal(history[0]!.role, "user", "the kept part starts at a turn boundary");
    assert.equal(history.length, result.kept_messages);
    assert.ok(history.length < before.length);
    const calls = new Set(history.flatMap((m) => (m.tool_calls ?? []).map((c) => c.id)));
    for (const m of history.filter((m) => m.role === "tool")) {
      assert.ok(calls.has(m.tool_call_id!), `result ${m.tool_call_id} kept with its call`);
    }
    const prompt = withSummary(buildPrompt(agent, history), session.summary?.());
    assert.deepEqual(repairPrompt(prompt).repairs, [], "the compacted prompt needs no repair");
    assert.equal(prompt[1]!.role, "system");
    assert.ok(prompt[1]!.text.startsWith(SUMMARY_HEADING));
    assert.match(prompt[1]!.text, /fact number 1 is 7/, "the offline summary is extractive");
    assert.ok(result.summary!.message_count + result.kept_messages === before.length);

    // The next turn's prompt uses the summary, and the record still grows in full.
    await settle(kernel.agents.send(agent.id, "after compaction").result, "later turn");
    assert.equal(messageRows(kernel).length, before.length + 2);
    assert.equal(kernel.sessions.get(agent.id, sessionId).summaries, 1);
  });
});

function usageOf(kernel: Kernel, agentId: string): { calls: number; cost: number } {
  return {
    ...kernel.db.prepare(
      "SELECT count(*) AS calls, coalesce(sum(cost_usd), 0) AS cost FROM usage WHERE agent_id = ?",
    ).get(agentId) as { calls: number; cost: number },
  };
}

Deno.test("compaction is metered like any call and refused over budget, writing nothing", async () => {
  await withKernel(async (kernel) => {
    const agent = kernel.agents.spawn({ name: "payer", model: "priced" });
    for (let i = 0; i < 4; i++) {
      await settle(kernel.agents.send(agent.id, `note ${i}: keep this`).result, `turn ${i}`);
    }
    const before = usageOf(kernel, agent.id);
    const result = await kernel.sessions.compact(agent.id);
    assert.equal(result.compacted, true);
    const after = usageOf(kernel, agent.id);
    assert.equal(after.calls, before.calls + 1, "the summary call has its usage row");
    assert.ok(after.cost > before.cost, "and a cost");
    const [row] = kernel.db.prepare(
      "SELECT model, input_tokens, output_tokens FROM usage WHERE agent_id = ? ORDER BY id DESC LIMIT 1",
    ).all(agent.id) as { model: string; input_tokens: number; output_tokens: number }[];
    assert.equal(row!.model, "priced");
    assert.equal(row!.output_tokens, result.summary!.output_tokens);

    await settle(kernel.agents.send(agent.id, "one more note").result, "turn 4");
    await settle(kernel.agents.send(agent.id, "and another").result, "turn 5");
    kernel.budget.setAgentCaps(agent, { tokens_per_hour: 1 });
    const sessionId = currentSession(kernel, agent.id);
    const summaries = store.listSummaries(kernel.db, sessionId).length;
    const rows = messageRows(kernel);
    const spent = usageOf(kernel, agent.id);
    await assert.rejects(kernel.sessions.compact(agent.id), talonError("budget_exceeded"));
    assert.equal(store.listSummaries(kernel.db, sessionId).length, summaries);
    assert.deepEqual(messageRows(kernel), rows);
    assert.deepEqual(usageOf(kernel, agent.id), spent, "the refused call wrote no usage row");
  }, {
    config: `[models.priced]\ninput_usd_per_mtok = 1\noutput_usd_per_mtok = 2\n`,
  });
});

Deno.test("a 2,000-turn scripted session stays inside a small context window, its record whole", async () => {
  const window = 1_200;
  await withTempDir(async (dir) => {
    const script = await writeScript(dir, {
      turns: [{ match: ".", steps: [{ text: "Understood, I have noted that down for later." }] }],
    });
    await Deno.writeTextFile(
      `${dir}/config.toml`,
      `[offline]\nscript = ${
        JSON.stringify(script)
      }\n[models."offline-small"]\ncontext_window = ${window}\n`,
    );
    const kernel = await boot(dir);
    try {
      const agent = kernel.agents.spawn({
        name: "marathon",
        model: "offline-small",
        max_tokens: 200,
      });
      await settle(
        kernel.agents.send(agent.id, "The launch code is ORCHID-42. Please keep it.").result,
        "first turn",
      );
      for (let i = 1; i < 2_000; i++) {
        const r = await settle(
          kernel.agents.send(agent.id, `Turn ${i}: today's note is number ${i * 3}.`).result,
          `turn ${i}`,
        );
        assert.equal(r.status, "completed", r.error?.message);
      }
      const sessionId = currentSession(kernel, agent.id);
      const usage = kernel.db.prepare(
        "SELECT max(input_tokens) AS max, count(*) AS calls FROM usage WHERE agent_id = ?",
      ).get(agent.id) as { max: number; calls: number };
      assert.ok(usage.max <= window, `the largest prompt was ${usage.max} tokens`);
      const summaries = store.listSummaries(kernel.db, sessionId);
      assert.ok(summaries.length >= 10, `${summaries.length} compactions`);
      assert.ok(summaries.every((s) => s.trigger === "auto"));
      assert.equal(usage.calls, 2_000 + summaries.length, "each summary was one metered call");
      const session = kernel.sessions.get(agent.id, sessionId);
      assert.equal(session.message_count, 4_000, "every message is still stored");
      const latest = summaries.at(-1)!;
      assert.match(latest.text, /ORCHID-42/, "the earliest facts survive in the summary");
      assert.match(latest.text, /Turn 19\d\d/, "and recent ones are in it");
      const prompt = storedSession(kernel.db, { agentId: agent.id, sessionId, historyLimit: 200 });
      assert.ok(prompt.history().length < 60, "the prompt keeps only recent turns verbatim");
    } finally {
      await kernel.close();
    }
  });
});
