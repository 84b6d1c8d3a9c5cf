import assert from "node:assert/strict";
import { FAKE_SERVER } from "../kernel/protocols/mcp_fixtures.ts";
import { REPO_ROOT } from "../talon_process.ts";
import { type BrowserFixture, browserTest } from "./browser_fixtures.ts";

async function signIn(f: BrowserFixture): Promise<void> {
  await f.page.goto(f.loginLink);
  await f.page.waitForURL(`${f.url}/`);
}

browserTest(
  "an admin adds an MCP server through the form, sees bad fields flagged, tests it and removes it",
  async (f) => {
    await signIn(f);
    const { page } = f;
    await page.getByRole("link", { name: "Integrations" }).click();
    await page.getByRole("heading", { level: 1, name: "Integrations" }).waitFor();
    await page.getByText("No MCP servers yet").waitFor();
    await page.getByRole("heading", { level: 2, name: "A2A" }).waitFor();

    // Checked in the browser with the API's schema: each bad field is marked.
    await page.getByLabel("Name").fill("Bad-Name");
    await page.getByLabel("Environment variables").fill("HOME 9LIVES");
    await page.getByLabel("Timeout (seconds)").fill("0");
    await page.getByRole("button", { name: "Add server" }).click();
    for (const field of ["name", "command", "env", "timeout_s"]) {
      await page.locator(`#mcp-${field}-error`).waitFor();
      assert.equal(await page.locator(`#mcp-${field}`).getAttribute("aria-invalid"), "true");
    }
    assert.match(await page.locator("#mcp-env-error").innerText(), /^1: must be an environment/);
    await page.getByLabel("Transport").selectOption("http");
    await page.getByLabel("URL").fill("ftp://example.test/mcp");
    await page.getByLabel("Header variables").fill("Bad Header=TOKEN");
    await page.getByRole("button", { name: "Add server" }).click();
    await page.locator("#mcp-url-error").waitFor();
    await page.locator("#mcp-headers_env-error").waitFor();

    await page.getByLabel("Transport").selectOption("stdio");
    await page.getByLabel("Name").fill("fake");
    await page.getByLabel("Command").fill(Deno.execPath());
    await page.getByLabel("Arguments").fill(["run", "-A", "--frozen", FAKE_SERVER].join("\n"));
    await page.getByLabel("Environment variables").fill("HOME DENO_DIR");
    await page.getByLabel("Working directory").fill(REPO_ROOT);
    await page.getByLabel("Timeout (seconds)").fill("30");
    await page.getByRole("button", { name: "Add server" }).click();
    await page.waitForURL(/\/integrations\?added=fake#mcp$/);
    const card = page.locator('[data-server="fake"]');
    await card.locator('[data-status="idle"]').waitFor();

    // Refused by the server: the name is taken, shown on the name field.
    await page.getByLabel("Name").fill("fake");
    await page.getByLabel("Command").fill("/bin/true");
    await page.getByRole("button", { name: "Add server" }).click();
    await page.locator("#mcp-name-error").filter({ hasText: "taken" }).waitFor();
    await page.getByRole("alert").filter({ hasText: "already exists" }).waitFor();

    await card.getByRole("button", { name: "Test connection" }).click();
    await card.getByText("Connected: 2 tools offered.").waitFor({ timeout: 60_000 });
    await card.getByText("mcp_fake_add_numbers").waitFor();
    await f.screenshots("integrations");
    await f.checkA11y();

    await card.getByRole("button", { name: "Remove" }).click();
    await card.getByRole("button", { name: "Yes, remove" }).click();
    await page.waitForURL(/\/integrations\?removed=fake#mcp$/);
    await page.getByText("No MCP servers yet").waitFor();
    // The one refusal the test provoked (409) is the only console error.
    assert.deepEqual(f.consoleErrors.filter((e) => !/status of 409/.test(e)), []);
  },
);
