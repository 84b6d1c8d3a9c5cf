import assert from "node:assert/strict";
import { serveWeb } from "../fakes/web_server.ts";
import { writeScript } from "../kernel/fixtures.ts";
import { LOCAL_WEB } from "../kernel/hands/hand_fixtures.ts";
import { browserTest } from "./browser_fixtures.ts";

const HOSTILE = `</script><script>alert(1)</script><img src=x onerror=alert(2)>"'&`;

browserTest(
  "the researcher Hand is activated through the form with a topic, run now, and its report read on the Hands page",
  async (f) => {
    await using web = serveWeb((req) =>
      new Response(`<h1>Edge</h1><p>SQLite runs at the edge (${new URL(req.url).pathname}).</p>`, {
        headers: { "content-type": "text/html" },
      })
    );
    const script = await writeScript(f.dataDir, {
      turns: [{
        match: "Scheduled run",
        steps: [
          { tool_calls: [{ name: "web_fetch", args: { url: `${web.origin}/a` } }] },
          {
            tool_calls: [{
              name: "report_write",
              args: {
                title: "SQLite at the edge",
                body: `## Findings\n\nSQLite runs **at the edge** [1].\n\n${HOSTILE}\n\n` +
                  "[bad](javascript:alert(3))\n\n| claim | source |\n| --- | --- |\n| edge | [1] |\n",
                sources: [{ url: `${web.origin}/a`, title: `Edge page ${HOSTILE}` }],
              },
            }],
          },
          { text: "Report stored." },
        ],
      }],
    }, "researcher.json");
    await f.signIn();
    await f.page.getByRole("link", { name: "Hands", exact: true }).click();
    await f.page.getByRole("heading", { level: 1, name: "Hands" }).waitFor();
    await f.page.getByText("No Hand is active").waitFor();
    await f.screenshots("hands-catalog");
    await f.checkA11y();

    await f.page.getByRole("link", { name: "Activate Researcher" }).click();
    await f.page.getByRole("heading", { level: 1, name: /Researcher/ }).waitFor();
    await f.page.waitForLoadState("networkidle");
    const posts: string[] = [];
    f.page.on("request", (r) => {
      if (r.method() === "POST") posts.push(r.url());
    });
    // Checked in the browser with the server's schema: no request, the error on the field.
    await f.page.getByRole("button", { name: "Activate" }).click();
    await f.page.locator("#hand-settings-topic-error").waitFor();
    assert.equal(
      await f.page.locator("#hand-settings-topic").getAttribute("aria-invalid"),
      "true",
    );
    assert.deepEqual(posts, [], "the island refused the form without a request");
    await f.page.getByLabel("Topic").fill("SQLite at the edge");
    await f.page.getByLabel("Depth").selectOption("quick");
    await f.page.getByLabel("Model").fill(`script:${script}`);
    await f.screenshots("hands-form");
    await f.checkA11y();
    await f.page.getByRole("button", { name: "Activate" }).click();
    await f.page.waitForURL(/\/hands\?activated=researcher#instance-researcher$/);
    await f.page.getByText("Activated researcher.").waitFor();
    const panel = f.page.locator("#instance-researcher");
    await panel.getByText("active", { exact: true }).waitFor();

    await panel.getByRole("button", { name: /Run now/ }).click();
    await f.page.waitForURL(/done=run/);
    const link = f.page.getByRole("link", { name: "SQLite at the edge" });
    for (let i = 0; i < 100 && !(await link.count()); i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      await f.page.reload();
    }
    await link.waitFor();
    assert.deepEqual(web.hits, ["/a"], "the Hand fetched the local page");
    // The report is stored before the run's last model call ends: reload until the run is ok.
    const ok = f.page.locator("#instance-researcher td", { hasText: "ok" });
    for (let i = 0; i < 150 && !(await ok.count()); i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      await f.page.reload();
    }
    await ok.first().waitFor();
    await f.screenshots("hands-instances");
    await f.checkA11y();

    await link.click();
    await f.page.getByRole("heading", { level: 1, name: "SQLite at the edge" }).waitFor();
    await f.page.locator(".report-body strong", { hasText: "at the edge" }).waitFor();
    assert.equal(await f.page.locator(".report-body table").count(), 1);
    assert.equal(await f.page.locator(".report-body img, .report-body script").count(), 0);
    assert.equal(await f.page.locator('a[href^="javascript:"]').count(), 0);
    assert.match(await f.page.locator(".report-body").innerText(), /<script>alert\(1\)<\/script>/);
    const source = f.page.getByRole("link", { name: /^Edge page/ });
    assert.equal(await source.getAttribute("href"), `${web.origin}/a`);
    await f.screenshots("hands-report");
    await f.checkA11y();
    assert.deepEqual(f.dialogs, [], "hostile report text ran no script");
    assert.deepEqual(f.consoleErrors, []);
  },
  { config: LOCAL_WEB },
);
