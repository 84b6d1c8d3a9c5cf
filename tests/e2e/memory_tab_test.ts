import assert from "node:assert/strict";
import { type BrowserFixture, browserTest } from "./browser_fixtures.ts";

/** Calls the API with the first-run admin token. */
async function api(f: BrowserFixture, method: string, path: string, body?: unknown) {
  const token = /token=(\S+)/.exec(f.loginLink)![1]!;
  const res = await fetch(`${f.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

browserTest(
  "the Memory tab: facts, kv, graph and sessions; a session relabelled and made current",
  async (f) => {
    await f.page.goto(f.loginLink);
    await f.page.waitForURL(`${f.url}/`);
    const agent = await api(f, "POST", "/api/agents", {
      name: "archivist",
      capabilities: ["memory_read", "memory_write"],
    });
    const base = `/api/agents/${agent.id}`;
    await api(f, "POST", `${base}/memory/facts`, { text: "The user prefers short answers" });
    await api(f, "PUT", `${base}/memory/kv/timezone`, { text: "Europe/Paris" });
    const first = await api(f, "POST", `${base}/session/reset`);
    await api(f, "POST", `${base}/session/reset`);

    await f.page.goto(`${f.url}/agents/${agent.id}/memory`);
    await f.page.getByRole("heading", { level: 2, name: "Sessions" }).waitFor();
    await f.page.getByRole("cell", { name: "The user prefers short answers" }).waitFor();
    const onboarding = f.page.getByRole("row").filter({ hasText: first.session.id });
    await onboarding.getByLabel(`Label of session ${first.session.id}`).fill("first week");
    await onboarding.getByRole("button", { name: "Save label" }).click();
    await f.page.getByRole("row").filter({ hasText: first.session.id })
      .getByRole("button", { name: "Make current" }).click();
    const row = f.page.getByRole("row").filter({ hasText: first.session.id });
    await row.getByText("current", { exact: true }).waitFor();
    assert.equal(
      await row.getByLabel(`Label of session ${first.session.id}`).inputValue(),
      "first week",
    );
    await f.screenshots("memory-tab");
    await f.checkA11y();
    assert.deepEqual(f.dialogs, []);
    assert.deepEqual(f.consoleErrors, []);
  },
);
