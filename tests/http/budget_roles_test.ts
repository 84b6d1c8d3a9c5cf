import assert from "node:assert/strict";
import { call, withApi } from "./http_fixtures.ts";

const CONFIG = `
[budget.agent]
usd_per_day = 5
tokens_per_hour = 1000
`;

function message(body: Record<string, unknown>): string {
  return (body.error as { message: string }).message;
}

Deno.test("a manifest cannot raise a budget cap: an operator spawns with higher [resources] and the configured caps still bind; only admin raises them", async () => {
  await withApi(async (f) => {
    const operator = { token: f.tokens.operator };
    const admin = { token: f.tokens.admin };
    const greedy = await call(f, "POST", "/api/agents", {
      ...operator,
      body: JSON.stringify({
        name: "greedy",
        resources: { max_cost_usd_per_day: 1000, max_tokens_per_hour: 10_000_000 },
      }),
    });
    assert.equal(greedy.status, 201, greedy.text);
    const caps = async (name: string) =>
      (await call(f, "GET", `/api/budget/agents/${name}`, { token: f.tokens.viewer })).body.caps;
    assert.deepEqual(await caps("greedy"), { usd_per_day: 5, tokens_per_hour: 1000 });

    const kid = await call(f, "POST", "/api/agents", {
      ...operator,
      body: JSON.stringify({
        name: "kid",
        parent: "greedy",
        resources: { max_tokens_per_hour: 1_000_000_000 },
      }),
    });
    assert.equal(kid.status, 201, kid.text);
    assert.deepEqual(await caps("kid"), { usd_per_day: 5, tokens_per_hour: 1000 });

    const turn = await call(f, "POST", "/api/agents/greedy/message", {
      ...operator,
      body: JSON.stringify({ text: "spend a lot" }),
    });
    assert.match(turn.text, /budget_exceeded/, "the configured token cap binds the turn");
    assert.match(turn.text, /its 1000 tokens per hour/);

    for (
      const [path, body] of [
        ["/api/budget/agents/greedy", { usd_per_day: 1000 }],
        ["/api/budget", { usd_per_day: 1000 }],
      ] as const
    ) {
      const refused = await call(f, "PUT", path, { ...operator, body: JSON.stringify(body) });
      assert.equal(refused.status, 403, path);
      assert.match(message(refused.body), /needs the admin role/);
    }
    assert.deepEqual(await caps("greedy"), { usd_per_day: 5, tokens_per_hour: 1000 });

    const raised = await call(f, "PUT", "/api/budget/agents/greedy", {
      ...admin,
      body: JSON.stringify({ usd_per_day: 50, tokens_per_hour: 2000 }),
    });
    assert.equal(raised.status, 200, raised.text);
    assert.deepEqual(await caps("greedy"), { usd_per_day: 50, tokens_per_hour: 2000 });

    const modest = await call(f, "POST", "/api/agents", {
      ...operator,
      body: JSON.stringify({ name: "modest", resources: { max_cost_usd_per_day: 1 } }),
    });
    assert.equal(modest.status, 201);
    assert.deepEqual(await caps("modest"), { usd_per_day: 1, tokens_per_hour: 1000 });
  }, { config: CONFIG });
});
