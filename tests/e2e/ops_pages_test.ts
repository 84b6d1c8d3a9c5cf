import assert from "node:assert/strict";
import type { AgentView, BudgetReport } from "../../kernel/types.ts";
import { browserTest } from "./browser_fixtures.ts";

const HOSTILE = `</script><script>alert(1)</script><img src=x onerror=alert(2)>"'&`;

browserTest(
  "the overview shows an agent spawned through the API live, and skills list without script",
  async (f) => {
    await f.signIn();
    await f.page.getByText("Live: new events appear at the top.").waitFor();
    const agent = await f.api<AgentView>("POST", "/api/agents", {
      name: "scout",
      description: HOSTILE,
    });
    const item = f.page.locator(".feed-item").filter({ hasText: "spawned" }).first();
    await item.waitFor();
    assert.match(await item.innerText(), /scout\s*spawned/);
    assert.equal(
      await item.getByRole("link", { name: "scout" }).getAttribute("href"),
      `/agents/${agent.id}`,
    );
    await f.api("POST", `/api/agents/${agent.id}/message`, { text: HOSTILE });
    await f.page.locator(".feed-item").filter({ hasText: "turn completed" }).first().waitFor();
    assert.ok((await f.page.locator(".feed-item").count()) <= 20, "the feed stays bounded");
    await f.page.reload();
    await f.page.getByRole("heading", { level: 1, name: "Overview" }).waitFor();
    await f.screenshots("ops-overview");
    await f.checkA11y();

    await f.page.getByRole("link", { name: "Skills" }).click();
    await f.page.getByRole("heading", { level: 1, name: "Skills and tools" }).waitFor();
    await f.page.getByRole("cell", { name: "system_time" }).first().waitFor();
    await f.screenshots("ops-skills");
    await f.checkA11y();
    assert.deepEqual(f.dialogs, [], "hostile strings ran no script");
    assert.deepEqual(f.consoleErrors, []);
  },
);

browserTest(
  "an admin verifies the audit chain from the button and sets a budget on /usage",
  async (f) => {
    await f.signIn();
    const agent = await f.api<AgentView>("POST", "/api/agents", {
      name: "scout",
      description: HOSTILE,
    });
    await f.api("POST", `/api/agents/${agent.id}/message`, { text: "hello there" });

    await f.page.getByRole("link", { name: "Audit" }).click();
    await f.page.getByRole("heading", { level: 1, name: "Audit log" }).waitFor();
    await f.page.getByRole("button", { name: "Verify chain" }).click();
    const result = f.page.getByText(/Audit chain intact: \d+ entries/);
    await result.waitFor();
    assert.equal(f.page.url(), `${f.url}/audit`, "verified in place, without navigating");
    await f.page.getByRole("cell", { name: "agent.spawn" }).waitFor();
    // The tail picks up entries written after the page loaded (it polls /api/audit/recent).
    await f.api("POST", `/api/agents/${agent.id}/message`, { text: "and again" });
    await f.page.getByRole("cell", { name: "agent.message" }).nth(1).waitFor({ timeout: 15_000 });
    await f.page.getByText("Live: 1 new entry.").waitFor();
    await f.screenshots("ops-audit");
    await f.checkA11y();

    await f.page.getByRole("link", { name: "Usage" }).click();
    await f.page.getByRole("heading", { level: 1, name: "Usage" }).waitFor();
    await f.page.getByRole("img", { name: /Tokens by agent/ }).waitFor();
    await f.page.getByLabel("Per day (USD)").fill("-1");
    await f.page.getByRole("button", { name: "Save budget" }).click();
    await f.page.getByText(/Too small/).waitFor();
    assert.equal(await f.page.getByLabel("Per day (USD)").inputValue(), "-1", "typed value kept");
    assert.equal(await f.page.getByLabel("Per day (USD)").getAttribute("aria-invalid"), "true");
    await f.page.getByLabel("Per day (USD)").fill("5");
    await f.page.getByRole("button", { name: "Save budget" }).click();
    await f.page.getByText("Budget saved.").waitFor();
    assert.equal(f.page.url(), `${f.url}/usage`, "saved through the API, in place");
    const budget = await f.api<BudgetReport>("GET", "/api/budget");
    assert.deepEqual(budget.global.caps, { usd_per_day: 5 });
    await f.page.reload();
    await f.page.getByText("$0.00 of $5.00 (0%)").first().waitFor();
    await f.screenshots("ops-usage");
    await f.checkA11y();
    assert.deepEqual(f.dialogs, []);
    assert.deepEqual(f.consoleErrors, []);
  },
);

browserTest("an admin creates a token, sees it once, and revokes it on /settings", async (f) => {
  await f.signIn();
  await f.page.getByRole("link", { name: "Settings" }).click();
  await f.page.getByRole("heading", { level: 1, name: "Settings" }).waitFor();
  await f.page.getByLabel("Name").fill("ci-bot");
  await f.page.getByLabel("Role").selectOption("operator");
  await f.page.getByRole("button", { name: "Create token" }).click();
  const value = f.page.locator("#new-token-value");
  await value.waitFor();
  const token = await value.innerText();
  assert.match(token, /^tln_/);
  assert.equal(f.page.url(), `${f.url}/settings`);
  const works = await fetch(`${f.url}/api/status`, {
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(works.status, 200);
  await works.body?.cancel();
  await f.screenshots("ops-settings");
  await f.checkA11y();

  await f.page.reload();
  await f.page.getByRole("link", { name: "Revoke ci-bot" }).waitFor();
  assert.ok(!(await f.page.content()).includes(token), "the token is never shown again");

  await f.page.getByRole("link", { name: "Revoke ci-bot" }).click();
  await f.page.getByText("Revoke ci-bot?").waitFor();
  await f.page.getByRole("button", { name: "Revoke", exact: true }).click();
  await f.page.locator("tr", { hasText: "ci-bot" }).getByText("revoked").waitFor();
  const refused = await fetch(`${f.url}/api/status`, {
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(refused.status, 401);
  await refused.body?.cancel();
  await f.checkA11y();
  assert.deepEqual(f.dialogs, []);
  assert.deepEqual(f.consoleErrors, []);
});
