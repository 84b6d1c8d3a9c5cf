import assert from "node:assert/strict";
import { insertUsage } from "../../kernel/store/mod.ts";
import type { Kernel } from "../../kernel/mod.ts";
import { talonError, withKernel } from "./fixtures.ts";

function meter(kernel: Kernel, agentId: string, at: string, tokens: number, usd: number): void {
  insertUsage(kernel.db, {
    agentId,
    turnId: null,
    provider: "offline",
    model: "echo",
    inputTokens: tokens,
    outputTokens: 1,
    costUsd: usd,
    latencyMs: 1,
    at,
  });
}

Deno.test("kernel.usage() sums one agent's usage per UTC day, newest day first", async () => {
  await withKernel((kernel) => {
    const a = kernel.agents.spawn({ name: "a" });
    const b = kernel.agents.spawn({ name: "b" });
    meter(kernel, a.id, "2026-03-01T10:00:00.000Z", 100, 0.5);
    meter(kernel, a.id, "2026-03-01T23:59:00.000Z", 50, 0.25);
    meter(kernel, a.id, "2026-03-03T00:01:00.000Z", 7, 0.01);
    meter(kernel, b.id, "2026-03-01T12:00:00.000Z", 1000, 9);
    const since = "2026-02-28T00:00:00.000Z";
    const byName = kernel.usage({ group: "day", since, limit: 50, agent: "a" });
    assert.equal(byName.agent_id, a.id);
    assert.deepEqual(
      byName.rows.map((r) => [r.key, r.calls, r.input_tokens, r.output_tokens, r.cost_usd]),
      [["2026-03-03", 1, 7, 1, 0.01], ["2026-03-01", 2, 150, 2, 0.75]],
    );
    const byId = kernel.usage({ group: "day", since, limit: 50, agent: a.id });
    assert.deepEqual(byId.rows, byName.rows);
    const everyone = kernel.usage({ group: "day", since, limit: 50 });
    assert.equal(everyone.agent_id, undefined);
    assert.deepEqual(everyone.rows.map((r) => [r.key, r.calls]), [
      ["2026-03-03", 1],
      ["2026-03-01", 3],
    ]);
    const byModel = kernel.usage({ group: "model", since, limit: 50, agent: "b" });
    assert.deepEqual(byModel.rows.map((r) => [r.key, r.input_tokens]), [["echo", 1000]]);
  });
});

Deno.test("kernel.usage() for an unknown agent fails with not_found", async () => {
  await withKernel((kernel) => {
    assert.throws(
      () => kernel.usage({ group: "day", limit: 50, agent: "ghost" }),
      talonError("not_found"),
    );
  });
});
