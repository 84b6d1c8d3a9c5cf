import assert from "node:assert/strict";
import type { Kernel } from "../../../kernel/kernel.ts";
import { BudgetLedger, type Pricing } from "../../../kernel/scheduler/mod.ts";
import type { BudgetConfig } from "../../../kernel/types.ts";
import { insertUsage } from "../../../kernel/store/mod.ts";
import type { AgentView } from "../../../kernel/types.ts";
import { talonError, withKernel } from "../fixtures.ts";

/** $1 per million input and $2 per million output tokens. */
const pricing: Pricing = {
  cost: (model, u) =>
    model === "free" ? undefined : (u.input_tokens * 1 + u.output_tokens * 2) / 1_000_000,
};

function ledger(
  kernel: Kernel,
  config: Partial<BudgetConfig> = {},
  clock = { t: Date.parse("2026-11-22T12:00:00Z") },
): BudgetLedger {
  return new BudgetLedger({
    db: kernel.db,
    config: { agent: {}, ...config },
    pricing,
    audit: kernel.audit,
    now: () => clock.t,
  });
}

function spend(kernel: Kernel, agent: AgentView, usd: number, at: string): void {
  insertUsage(kernel.db, {
    agentId: agent.id,
    turnId: null,
    provider: "offline",
    model: "echo",
    inputTokens: 0,
    outputTokens: Math.round(usd * 500_000),
    costUsd: usd,
    latencyMs: 1,
    at,
  });
}

Deno.test("BudgetLedger settles a call into a usage row priced by the catalog", async () => {
  await withKernel((kernel) => {
    const agent = kernel.agents.spawn({ name: "a" });
    const l = ledger(kernel);
    const r = l.reserve(agent, { model: "m", promptTokens: 1000, maxTokens: 500 });
    assert.equal(r.tokens, 1500);
    assert.equal(r.usd, (1000 + 1000) / 1_000_000);
    const metered = l.settle(r, {
      provider: "offline",
      model: "m",
      usage: { input_tokens: 1000, output_tokens: 100 },
      turnId: null,
      latencyMs: 12.4,
    });
    assert.deepEqual(metered, { cost_usd: 1200 / 1_000_000, latency_ms: 12 });
    const row = kernel.db.prepare("SELECT * FROM usage").get() as Record<string, unknown>;
    assert.equal(row.agent_id, agent.id);
    assert.equal(row.input_tokens, 1000);
    assert.equal(row.output_tokens, 100);
    assert.equal(row.created_at, "2026-11-22T12:00:00.000Z");
  });
});

Deno.test("BudgetLedger refuses a call whose worst case crosses the agent's daily USD cap", async () => {
  await withKernel((kernel) => {
    const agent = kernel.agents.spawn({ name: "a" });
    const l = ledger(kernel, { agent: { usd_per_day: 1 } });
    spend(kernel, agent, 0.99, "2026-11-22T01:00:00.000Z");
    spend(kernel, agent, 5, "2026-11-21T11:59:00.000Z"); // outside the rolling day
    assert.doesNotThrow(() =>
      l.release(l.reserve(agent, { model: "m", promptTokens: 1000, maxTokens: 1000 }))
    );
    assert.throws(
      () => l.reserve(agent, { model: "m", promptTokens: 10_000, maxTokens: 4096 }),
      talonError("budget_exceeded", /agent "a" has spent \$0\.99 of its \$1\.00 per day/),
    );
  });
});

Deno.test("BudgetLedger counts open reservations so concurrent calls cannot overshoot", async () => {
  await withKernel((kernel) => {
    const agent = kernel.agents.spawn({ name: "a" });
    const l = ledger(kernel, { agent: { tokens_per_hour: 10_000 } });
    const first = l.reserve(agent, { model: "m", promptTokens: 2000, maxTokens: 4000 });
    assert.throws(
      () => l.reserve(agent, { model: "m", promptTokens: 2000, maxTokens: 4000 }),
      talonError("budget_exceeded", /6000 of its 10000 tokens per hour/),
    );
    l.settle(first, {
      provider: "offline",
      model: "m",
      usage: { input_tokens: 2000, output_tokens: 100 },
      turnId: null,
      latencyMs: 1,
    });
    assert.doesNotThrow(() =>
      l.reserve(agent, { model: "m", promptTokens: 2000, maxTokens: 4000 })
    );
  });
});

Deno.test("BudgetLedger windows: hour and day roll, month is the UTC calendar month", async () => {
  await withKernel((kernel) => {
    const agent = kernel.agents.spawn({ name: "a" });
    const clock = { t: Date.parse("2026-12-01T00:30:00Z") };
    const l = ledger(kernel, { usd_per_month: 10, usd_per_hour: 3 }, clock);
    spend(kernel, agent, 9.5, "2026-11-30T23:00:00.000Z"); // last month
    spend(kernel, agent, 2.5, "2026-12-01T00:10:00.000Z");
    assert.throws(
      () => l.reserve(agent, { model: "m", promptTokens: 400_000, maxTokens: 100_000 }),
      talonError("budget_exceeded", /\$2\.50 in the last hour of the global \$3\.00 cap/),
    );
    clock.t = Date.parse("2026-12-01T01:15:00Z");
    assert.doesNotThrow(() =>
      l.release(l.reserve(agent, { model: "m", promptTokens: 400_000, maxTokens: 100_000 }))
    );
    const report = l.report([agent]);
    assert.equal(report.global.spent.usd_this_month, 2.5);
    assert.equal(report.global.spent.usd_last_day, 12);
    assert.equal(report.global.spent.usd_last_hour, 0);
  });
});

Deno.test("BudgetLedger counts a child's spending against its parent's cap", async () => {
  await withKernel((kernel) => {
    const parent = kernel.agents.spawn({ name: "parent", capabilities: ["agent_spawn"] });
    const child = kernel.agents.spawn({ name: "child" }, { parent: parent.id });
    const grandchild = kernel.agents.spawn({ name: "grandchild" }, { parent: child.id });
    const l = ledger(kernel);
    l.setAgentCaps(parent, { usd_per_day: 1 });
    spend(kernel, grandchild, 0.9, "2026-11-22T11:00:00.000Z");
    assert.throws(
      () => l.reserve(child, { model: "m", promptTokens: 100_000, maxTokens: 100_000 }),
      talonError("budget_exceeded", /ancestor "parent"/),
    );
    assert.equal(l.agentBudget(parent).used.usd_last_day, 0.9);
    assert.doesNotThrow(() =>
      l.release(l.reserve(child, { model: "m", promptTokens: 10_000, maxTokens: 10_000 }))
    );
  });
});

Deno.test("BudgetLedger: manifest limits only lower the configured caps", async () => {
  await withKernel((kernel) => {
    const l = ledger(kernel, { agent: { usd_per_day: 5, tokens_per_hour: 1000 } });
    const lower = kernel.agents.spawn({
      name: "lower",
      resources: { max_cost_usd_per_day: 1, max_tokens_per_hour: 99_999 },
    });
    assert.deepEqual(l.agentCaps(lower), { tokens_per_hour: 1000, usd_per_day: 1 });
    const admin = kernel.agents.spawn({
      name: "admin-set",
      resources: { max_cost_usd_per_day: 2 },
    });
    l.setAgentCaps(admin, { usd_per_day: 10, tool_calls_per_minute: 7 });
    assert.deepEqual(l.agentCaps(admin), {
      tokens_per_hour: 1000,
      usd_per_day: 2,
      tool_calls_per_minute: 7,
    });
    l.setAgentCaps(admin, { usd_per_day: null, tool_calls_per_minute: null });
    assert.deepEqual(l.agentCaps(admin), { tokens_per_hour: 1000, usd_per_day: 2 });
  });
});

Deno.test("BudgetLedger caps tool calls per rolling minute", async () => {
  await withKernel((kernel) => {
    const agent = kernel.agents.spawn({
      name: "a",
      resources: { max_tool_calls_per_minute: 3 },
    });
    const clock = { t: Date.parse("2026-11-22T12:00:00Z") };
    const l = ledger(kernel, {}, clock);
    l.countToolCalls(agent, 2);
    assert.throws(
      () => l.countToolCalls(agent, 2),
      talonError("budget_exceeded", /made 2 of its 3 tool calls per minute/),
    );
    clock.t += 61_000;
    assert.doesNotThrow(() => l.countToolCalls(agent, 3));
  });
});

Deno.test("BudgetLedger global caps: admin-set values replace the config's, null restores them", async () => {
  await withKernel((kernel) => {
    const l = ledger(kernel, { usd_per_day: 5 });
    assert.deepEqual(l.globalCaps(), { usd_per_day: 5 });
    assert.deepEqual(l.setGlobalCaps({ usd_per_day: 50, usd_per_month: 100 }), {
      usd_per_day: 50,
      usd_per_month: 100,
    });
    assert.deepEqual(l.setGlobalCaps({ usd_per_day: null }), {
      usd_per_day: 5,
      usd_per_month: 100,
    });
  });
});

Deno.test("BudgetLedger with no known price enforces token caps but spends $0", async () => {
  await withKernel((kernel) => {
    const agent = kernel.agents.spawn({ name: "a" });
    const l = ledger(kernel, { usd_per_hour: 0 });
    const r = l.reserve(agent, { model: "free", promptTokens: 100, maxTokens: 100 });
    assert.equal(r.usd, 0);
    assert.throws(
      () => l.reserve(agent, { model: "m", promptTokens: 100, maxTokens: 100 }),
      talonError("budget_exceeded"),
    );
  });
});
