import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { browserTest } from "./browser_fixtures.ts";

const HOSTILE = `<img src=x onerror=alert(1)><script>alert(2)</script>"'&`;
const AGENT_URL = /\/agents\/[0-9a-f-]{36}$/;

/** Rows of the agents table by name (the link text). */
async function names(page: Page): Promise<string[]> {
  return await page.locator(".agents-table tbody .agents-name a").allInnerTexts();
}

/** Waits (up to 5 s) for the table to list `expected`. */
async function namesBecome(page: Page, expected: string[]): Promise<void> {
  let seen: string[] = [];
  for (let i = 0; i < 50; i++) {
    seen = await names(page);
    if (JSON.stringify(seen) === JSON.stringify(expected)) return;
    await page.waitForTimeout(100);
  }
  assert.deepEqual(seen, expected);
}

/** Console errors other than the refusals the tests provoke on purpose (4xx answers). */
function unexpected(errors: string[]): string[] {
  return errors.filter((m) => !/status of 4\d\d/.test(m));
}

browserTest(
  "spawning through the form: a bad name is flagged inline with every other field kept, then the agent is spawned",
  async (f) => {
    await f.signIn();
    await f.page.goto(`${f.url}/agents`);
    await f.page.getByText("No agents yet").waitFor();
    await f.screenshots("agents-empty");
    await f.checkA11y();

    const form = f.page.locator("form.spawn-form");
    const capabilities = form.getByRole("group", { name: "Capabilities" });
    await f.page.getByLabel("Name", { exact: true }).fill("Bad Name!");
    await f.page.getByLabel("Description", { exact: true }).fill(HOSTILE);
    await f.page.getByLabel("System prompt").fill("Be brief.");
    await capabilities.getByLabel("memory_read", { exact: true }).check();
    await f.page.getByLabel("Network hosts 1").fill("api.example.com");
    await f.page.getByLabel("Iterations per turn").fill("5");
    await form.getByRole("group", { name: "Tools" }).getByLabel("system_time", { exact: true })
      .check();
    await f.page.getByRole("button", { name: "Spawn agent" }).click();

    const nameError = f.page.locator("#spawn-name-error");
    await nameError.waitFor();
    assert.match(await nameError.innerText(), /must be a slug/);
    assert.equal(f.page.url(), `${f.url}/agents`, "checked in the browser, no navigation");
    assert.equal(
      await f.page.getByLabel("Name", { exact: true }).getAttribute("aria-invalid"),
      "true",
    );
    assert.equal(await f.page.getByLabel("Description", { exact: true }).inputValue(), HOSTILE);
    assert.equal(await f.page.getByLabel("System prompt").inputValue(), "Be brief.");
    assert.ok(await capabilities.getByLabel("memory_read", { exact: true }).isChecked());
    assert.ok(
      await form.getByRole("group", { name: "Tools" }).getByLabel("system_time", { exact: true })
        .isChecked(),
    );
    assert.equal(await f.page.getByLabel("Network hosts 1").inputValue(), "api.example.com");
    assert.equal(await f.page.getByLabel("Iterations per turn").inputValue(), "5");
    assert.ok(
      await capabilities.getByLabel("shell_exec", { exact: true }).isDisabled(),
      "beyond max_capabilities",
    );
    await f.screenshots("agents-form-error");
    await f.checkA11y();

    await f.page.getByLabel("Name", { exact: true }).fill("researcher");
    await f.page.getByRole("button", { name: "Spawn agent" }).click();
    await f.page.waitForURL(AGENT_URL);

    // The same name again: the server's refusal (409) lands on the name field.
    await f.page.goto(`${f.url}/agents`);
    await f.page.getByLabel("Name", { exact: true }).fill("researcher");
    await f.page.getByRole("button", { name: "Spawn agent" }).click();
    await nameError.waitFor();
    assert.match(await nameError.innerText(), /taken|already/);

    // The table shows it, the hostile description as text.
    assert.deepEqual(await names(f.page), ["researcher"]);
    assert.equal(
      await f.page.locator(".agents-table .agents-description").first().innerText(),
      HOSTILE,
    );
    assert.deepEqual(f.dialogs, [], "no alert() ran");
    assert.deepEqual(unexpected(f.consoleErrors), []);
  },
);

browserTest("spawning from a pasted manifest, and a bad manifest keeps its text", async (f) => {
  await f.signIn();
  await f.page.goto(`${f.url}/agents`);
  const text = f.page.getByLabel("Manifest (TOML or JSON)");
  const bad = `name = "broken\ncapabilities = []`;
  await text.fill(bad);
  await f.page.getByRole("button", { name: "Spawn from manifest" }).click();
  const error = f.page.locator("#manifest-text-error");
  await error.waitFor();
  assert.match(await error.innerText(), /TOML/);
  assert.equal(await text.inputValue(), bad);
  await text.fill(`name = "from-manifest"\ndescription = "pasted TOML"\n`);
  await f.page.getByRole("button", { name: "Spawn from manifest" }).click();
  await f.page.waitForURL(AGENT_URL);
  await f.page.goto(`${f.url}/agents`);
  assert.deepEqual(await names(f.page), ["from-manifest"]);
  assert.deepEqual(unexpected(f.consoleErrors), []);
});

browserTest("the agents table filters as you type and by state, and is accessible", async (f) => {
  await f.signIn();
  const api = f.context.request;
  const spawned: Record<string, string> = {};
  for (
    const [name, description] of [
      ["weather-bot", "Fetches the weather forecast every morning"],
      ["news-digest", "Summarises the news"],
      ["evil", HOSTILE],
      ["archivist", "Keeps notes in memory"],
    ]
  ) {
    const res = await api.post(`${f.url}/api/agents`, {
      headers: { origin: f.url },
      data: { name, description, capabilities: ["memory_read"] },
    });
    assert.equal(res.status(), 201, await res.text());
    spawned[name!] = (await res.json()).id;
  }
  const killed = await api.delete(`${f.url}/api/agents/${spawned["archivist"]}`, {
    headers: { origin: f.url },
  });
  assert.equal(killed.status(), 200);

  await f.page.goto(`${f.url}/agents`);
  assert.deepEqual((await names(f.page)).sort(), [
    "archivist",
    "evil",
    "news-digest",
    "weather-bot",
  ]);
  await f.screenshots("agents");
  await f.checkA11y();

  await f.page.getByLabel("Search", { exact: true }).pressSequentially("weath");
  await f.page.waitForURL(`${f.url}/agents?q=weath`);
  await namesBecome(f.page, ["weather-bot"]);

  await f.page.getByLabel("Search", { exact: true }).fill("");
  await f.page.getByLabel("State", { exact: true }).selectOption("killed");
  await f.page.waitForURL(`${f.url}/agents?state=killed`);
  await namesBecome(f.page, ["archivist"]);

  await f.page.getByLabel("State", { exact: true }).selectOption("");
  await f.page.getByLabel("Search", { exact: true }).fill("nothing like this");
  await f.page.getByText("No agents match").waitFor();

  // The same filter as a plain GET (what the form does without JavaScript).
  await f.page.goto(`${f.url}/agents?q=digest`);
  assert.deepEqual(await names(f.page), ["news-digest"]);
  assert.deepEqual(f.dialogs, [], "no alert() ran");
  assert.deepEqual(unexpected(f.consoleErrors), []);
});
