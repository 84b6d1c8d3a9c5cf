import assert from "node:assert/strict";
import type { TalonEvent } from "../../../kernel/types.ts";
import { boot, collect, settle, withKernel, withTempDir, writeScript } from "../fixtures.ts";

/** Offline models priced at $1,000 per million tokens in and out: 1 token = $0.001. */
const PRICED = `
[models.echo]
input_usd_per_mtok = 1000
output_usd_per_mtok = 1000
`;

Deno.test("a call that would cross the daily cap is refused, the agent paused, and it is audited", async () => {
  await withKernel(async (kernel) => {
    const agent = kernel.agents.spawn({
      name: "spender",
      max_tokens: 100,
      resources: { max_cost_usd_per_day: 0.5 },
    });
    const first = await settle(kernel.agents.send(agent.id, "hello there").result, "first");
    assert.equal(first.status, "completed");
    const spent = kernel.db.prepare("SELECT sum(cost_usd) AS usd, count(*) AS n FROM usage")
      .get() as { usd: number; n: number };
    assert.equal(spent.n, 1, "one usage row per LLM call");
    assert.ok(spent.usd > 0.02, `priced by the catalog: ${spent.usd}`);

    // Keep calling until the worst case of the next call no longer fits.
    let refused;
    for (let i = 0; i < 20 && !refused; i++) {
      const handle = kernel.agents.send(agent.id, `message ${i}`);
      const events = await settle(collect(handle.events()), "events");
      const result = await handle.result;
      if (result.status === "failed") refused = { result, events };
    }
    assert.ok(refused, "the cap stopped spending");
    assert.equal(refused.result.error?.code, "budget_exceeded");
    assert.match(
      refused.result.error!.message,
      /agent "spender" has spent \$0\.\d\d of its \$0\.50 per day/,
    );
    const budget = refused.events.find((e) => e.type === "budget") as TalonEvent<"budget">;
    assert.equal(budget.data.cap, "usd_per_day");
    assert.equal(budget.data.limit, 0.5);
    assert.ok(budget.data.spent + budget.data.requested > 0.5);
    const total = kernel.db.prepare("SELECT sum(cost_usd) AS usd FROM usage").get() as {
      usd: number;
    };
    assert.ok(total.usd <= 0.5, `never spent past the cap: ${total.usd}`);
    assert.equal(kernel.agents.get(agent.id).state, "paused");
    const [entry] = kernel.audit.list({ action: "budget.exceeded" }).entries;
    assert.equal(entry?.agent_id, agent.id);
    assert.equal(kernel.audit.verify().ok, true);
  }, { config: PRICED });
});

Deno.test("a child's spending counts against its parent's cap", async () => {
  await withTempDir(async (dir) => {
    const script = await writeScript(dir, {
      turns: [{
        match: ".",
        steps: [{ text: "ok", usage: { input_tokens: 300, output_tokens: 0 } }],
      }],
    });
    await Deno.writeTextFile(
      `${dir}/config.toml`,
      `[models."script:${script}"]\ninput_usd_per_mtok = 1000\noutput_usd_per_mtok = 1000\n`,
    );
    const kernel = await boot(dir);
    try {
      const parent = kernel.agents.spawn({ name: "parent", capabilities: ["agent_spawn"] });
      kernel.budget.setAgentCaps(parent, { usd_per_day: 1 });
      const child = kernel.agents.spawn({
        name: "child",
        model: `script:${script}`,
        max_tokens: 10,
      }, { parent: parent.id });
      const results = [];
      for (let i = 0; i < 5; i++) {
        results.push(await settle(kernel.agents.send(child.id, "go").result, "child turn"));
        if (results.at(-1)!.status !== "completed") break;
      }
      // Each call costs $0.30; the fourth call's worst case (prompt and tool definitions
      // plus max_tokens) would take the parent past $1.
      assert.deepEqual(results.map((r) => r.status), [
        "completed",
        "completed",
        "completed",
        "failed",
      ]);
      assert.match(results.at(-1)!.error!.message, /ancestor "parent"/);
      assert.equal(kernel.agents.get(child.id).state, "paused");
      assert.equal(kernel.agents.get(parent.id).state, "running");
      const report = kernel.budgetReport(parent.id);
      assert.equal(Math.round(report.agents[0]!.used.usd_last_day * 100) / 100, 0.9);
    } finally {
      await kernel.close();
    }
  });
});
