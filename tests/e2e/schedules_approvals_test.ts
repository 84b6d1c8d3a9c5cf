import assert from "node:assert/strict";
import { writeScript } from "../kernel/fixtures.ts";
import type { AgentView, ScheduleList } from "../../kernel/types.ts";
import { browserTest } from "./browser_fixtures.ts";

const HOSTILE = `</script><script>alert(1)</script><img src=x onerror=alert(2)>"'&`;

browserTest(
  "a schedule is created through the form, its preview showing the next five fire times and a bad expression flagged inline",
  async (f) => {
    await f.signIn();
    await f.api("POST", "/api/agents", { name: "scout", description: HOSTILE });
    await f.page.getByRole("link", { name: "Schedules" }).click();
    await f.page.getByRole("heading", { level: 1, name: "Schedules" }).waitFor();
    await f.page.getByText("No schedules yet").waitFor();

    await f.page.getByLabel("Agent").selectOption("scout");
    const expr = f.page.getByLabel("Cron expression");
    await expr.fill("0 9 * * 1-5");
    await f.page.getByLabel("Time zone").fill("Europe/Berlin");
    const times = f.page.getByRole("list", { name: "Next five fire times" }).locator("li");
    await times.filter({ hasText: "Europe/Berlin" }).nth(4).waitFor();
    assert.equal(await times.count(), 5);
    assert.match(
      await times.first().innerText(),
      /^\d{4}-\d\d-\d\d 09:00 Europe\/Berlin \(0[78]:00 UTC\)$/,
    );

    await expr.fill("61 * * * *");
    await f.page.locator("#new-expr-error").waitFor();
    assert.equal(await expr.getAttribute("aria-invalid"), "true");
    assert.equal(await times.count(), 0, "no preview for a bad expression");
    await expr.fill("*/5 * * * *");
    await f.page.locator("#new-expr-error").waitFor({ state: "detached" });
    await times.filter({ hasNotText: "09:00 Europe" }).nth(3).waitFor();
    assert.equal(await times.count(), 5);
    await f.page.getByLabel("Message").fill(`report ${HOSTILE}`);
    await f.screenshots("schedules-form");
    await f.checkA11y();

    await f.page.getByRole("button", { name: "Create schedule" }).click();
    await f.page.waitForURL(/\/schedules\/[0-9a-f-]+\?saved=1$/);
    await f.page.getByText("Saved.").waitFor();
    await f.page.getByRole("heading", { level: 1, name: "Schedule of scout" }).waitFor();
    const [schedule] = (await f.api<ScheduleList>("GET", "/api/schedules")).schedules;
    assert.deepEqual([schedule.expr, schedule.tz, schedule.message], [
      "*/5 * * * *",
      "Europe/Berlin",
      `report ${HOSTILE}`,
    ]);
    await f.page.getByRole("button", { name: /Run now/ }).click();
    await f.page.getByRole("cell", { name: "manual" }).waitFor();
    await f.screenshots("schedules-detail");
    await f.checkA11y();

    await f.page.getByRole("link", { name: "Schedules", exact: true }).first().click();
    await f.page.getByRole("switch", { name: /Enabled/ }).click();
    await f.page.getByRole("switch", { name: /Enabled/, checked: false }).waitFor();
    await f.screenshots("schedules-list");
    await f.checkA11y();
    assert.deepEqual(f.dialogs, [], "hostile strings ran no script");
    // The preview's refusal of the bad expression is the one failed load.
    const unexpected = f.consoleErrors.filter((m) => !/status of 400 \(Bad Request\)/.test(m));
    assert.deepEqual(unexpected, []);
  },
);

browserTest(
  "a gated file_write appears live on /approvals and in the nav count; approving it lets the turn finish and write the file",
  async (f) => {
    const script = await writeScript(f.dataDir, {
      turns: [{
        match: ".",
        steps: [
          {
            tool_calls: [{
              name: "file_write",
              args: { path: "out.txt", content: `approved ${HOSTILE}` },
            }],
          },
          { text: "written" },
        ],
      }],
    }, "writer.json");
    await f.signIn();
    const agent = await f.api<AgentView>("POST", "/api/agents", {
      name: "writer",
      model: `script:${script}`,
      capabilities: ["file_write"],
      tools: ["file_write"],
    });
    const file = `${f.dataDir}/workspaces/${agent.id}/out.txt`;
    await f.page.getByRole("link", { name: "Approvals" }).click();
    await f.page.getByRole("heading", { level: 1, name: "Approvals" }).waitFor();
    await f.page.getByText("Live: new requests appear here").waitFor();
    await f.page.getByText("Nothing waits for a decision").waitFor();

    const turn = f.api<{ status?: string }>("POST", `/api/agents/${agent.id}/message`, {
      text: "write it",
    });
    const card = f.page.locator(".approval-card[data-approval]");
    await card.waitFor();
    assert.match(await card.locator("h3").innerText(), /file_write\s+by\s+writer/);
    assert.match(
      await card.locator(".approval-args").innerText(),
      /"content": "approved <\/script>/,
    );
    await card.locator(".approval-left").filter({ hasText: /^\dm \d\ds$/ }).waitFor();
    await f.page.locator('.nav-count[data-pending-approvals="1"]').waitFor();
    assert.match(
      await f.page.getByRole("link", { name: /Approvals/ }).innerText(),
      /Approvals\s*1/,
    );
    let exists = await Deno.stat(file).then(() => true, () => false);
    assert.equal(exists, false, "nothing written before the decision");
    await f.screenshots("approvals-pending");
    await f.checkA11y();

    await card.getByRole("button", { name: "Approve" }).click();
    await f.page.getByText("Approved file_write for writer.").waitFor();
    const done = f.page.locator(".approval-done").first();
    await done.getByText("approved", { exact: true }).waitFor();
    await f.page.locator('.nav-count[data-pending-approvals="0"]').waitFor({ state: "attached" });
    const finished = await turn;
    assert.equal(finished.status ?? "completed", "completed", JSON.stringify(finished));
    exists = await Deno.stat(file).then(() => true, () => false);
    assert.ok(exists, "the approved call wrote the file");
    assert.equal(await Deno.readTextFile(file), `approved ${HOSTILE}`);
    await f.screenshots("approvals-decided");
    await f.checkA11y();
    assert.deepEqual(f.dialogs, [], "hostile arguments ran no script");
    assert.deepEqual(f.consoleErrors, []);
  },
  { config: '[approvals]\nrequire = ["file_write"]\n' },
);
