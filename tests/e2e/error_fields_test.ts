import assert from "node:assert/strict";
import { browserTest } from "./browser_fixtures.ts";

/** Console errors other than the refusals the test provokes on purpose (4xx answers). */
function unexpected(errors: string[]): string[] {
  return errors.filter((m) => !/status of 4\d\d/.test(m));
}

browserTest(
  "with JavaScript, server refusals land on the fields their paths name: spawn form, manifest form, edit form",
  async (f) => {
    await f.signIn();
    await f.page.goto(`${f.url}/agents`);

    // Spawn form: the kernel refuses shell_exec (beyond max_capabilities) at capabilities.N.
    // The form disables it; enabling it stands for a page loaded before the config changed.
    const form = f.page.locator("form.spawn-form");
    await f.page.getByLabel("Name", { exact: true }).fill("browsy");
    const capabilities = form.getByRole("group", { name: "Capabilities" });
    await capabilities.getByLabel("memory_read", { exact: true }).check();
    await f.page.locator("#spawn-capabilities-shell_exec").evaluate((el) => {
      (el as HTMLInputElement).disabled = false;
    });
    await capabilities.getByLabel("shell_exec", { exact: true }).check();
    await f.page.getByRole("button", { name: "Spawn agent" }).click();
    const capError = f.page.locator("#spawn-capabilities-error");
    await capError.waitFor();
    assert.match(await capError.innerText(), /shell_exec is beyond max_capabilities/);
    assert.equal(f.page.url(), `${f.url}/agents`, "no navigation, nothing spawned");
    assert.ok(await capabilities.getByLabel("shell_exec", { exact: true }).isChecked());

    // Manifest form: the refusal's paths are listed under the text, which is kept.
    const text = f.page.getByLabel("Manifest (TOML or JSON)");
    const manifest = `name = "sched"\nmodule = "builtin:x"\n`;
    await text.fill(manifest);
    await f.page.getByRole("button", { name: "Spawn from manifest" }).click();
    const listed = f.page.locator("#manifest-fields code");
    await listed.first().waitFor();
    assert.deepEqual((await listed.allInnerTexts()).sort(), ["module"]);
    assert.match(await f.page.locator("#manifest-text-error").innerText(), /not do yet/);
    assert.equal(await text.inputValue(), manifest);

    // Edit form: an unknown tool at tools.1 goes on the tools field, line 2.
    const res = await f.context.request.post(`${f.url}/api/agents`, {
      headers: { origin: f.url },
      data: { name: "editable" },
    });
    assert.equal(res.status(), 201, await res.text());
    const agent = await res.json();
    await f.page.goto(`${f.url}/agents/${agent.id}`);
    await f.page.locator("#edit-tools").fill("system_time\nnope");
    await f.page.getByRole("button", { name: "Save changes" }).click();
    const toolError = f.page.locator("#edit-tools-error");
    await toolError.waitFor();
    assert.match(await toolError.innerText(), /line 2: unknown tool "nope"/);
    assert.equal(await f.page.locator("#edit-tools").inputValue(), "system_time\nnope");
    assert.deepEqual(unexpected(f.consoleErrors), []);
  },
);
