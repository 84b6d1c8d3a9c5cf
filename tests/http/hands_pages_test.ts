import assert from "node:assert/strict";
import { writeScript } from "../kernel/fixtures.ts";
import { runsSettled } from "../kernel/hands/hand_fixtures.ts";
import {
  type ApiFixture,
  fetchPage as fetchShared,
  type PageReply,
  sessionCookie,
  withApi,
} from "./http_fixtures.ts";

const HOSTILE = `</script><script>alert(1)</script><img src=x onerror=alert(2)>"'&`;

/** A page request; forms carry our own Origin, as the pages' forms do. */
function fetchPage(
  f: ApiFixture,
  path: string,
  init: { cookie?: string; form?: Record<string, string> } = {},
): Promise<PageReply> {
  return fetchShared(f, path, { ...init, origin: init.form ? f.server.url : undefined });
}

function decode(raw: string): string {
  return raw.replaceAll("&quot;", '"').replaceAll("&#39;", "'").replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">").replaceAll("&amp;", "&");
}

/** The value of the input named `name`, decoded. */
function inputValue(html: string, name: string): string | undefined {
  const tag = new RegExp(`<input[^>]*name="${name}"[^>]*>`).exec(html)?.[0];
  const raw = tag ? /value="([^"]*)"/.exec(tag)?.[1] : undefined;
  return raw === undefined ? undefined : decode(raw);
}

/** The text of the textarea named `name`, decoded. */
function textareaValue(html: string, name: string): string | undefined {
  const raw = new RegExp(`<textarea[^>]*name="${name}"[^>]*>([^<]*)</textarea>`).exec(html)?.[1];
  return raw === undefined ? undefined : decode(raw);
}

function fieldError(html: string, id: string): string | undefined {
  return new RegExp(`<p id="${id}-error" class="field-error">([^<]*)</p>`).exec(html)?.[1];
}

Deno.test("the Hands page shows the catalog cards and requirements; a viewer sees no activation form or buttons", async () => {
  await withApi(async (f) => {
    f.kernel.hands.activate("researcher", { settings: { topic: "t" } });
    const viewer = await sessionCookie(f, "viewer");
    const list = await fetchPage(f, "/hands", { cookie: viewer });
    assert.equal(list.status, 200);
    for (const name of ["Researcher", "Collector", "Lead finder", "Predictor", "Social"]) {
      assert.match(list.text, new RegExp(`<a href="/hands/[a-z]+">${name}</a>`), name);
    }
    assert.match(list.text, /No requirements: it runs on any Talon\./);
    assert.match(list.text, /id="instance-researcher"/);
    assert.match(list.text, /aria-current="page"[^>]*>Hands|href="\/hands" aria-current="page"/);
    assert.doesNotMatch(list.text, /name="action"/, "no lifecycle buttons for a viewer");
    const detail = await fetchPage(f, "/hands/researcher", { cookie: viewer });
    assert.equal(detail.status, 200);
    assert.doesNotMatch(detail.text, /<form method="post" action="\/hands\/researcher"/);
    assert.match(detail.text, /Operating procedure/);
    const post = await fetchPage(f, "/hands/researcher", {
      cookie: viewer,
      form: { "settings.topic": "x" },
    });
    assert.equal(post.status, 403);
    assert.equal(f.kernel.hands.instances().length, 1);
  });
});

Deno.test("activation by a plain form POST: a field error re-renders with every typed value kept, nothing written; a good form redirects and the instance's buttons work without JavaScript", async () => {
  await withApi(async (f) => {
    const operator = await sessionCookie(f, "operator");
    const page = await fetchPage(f, "/hands/researcher", { cookie: operator });
    assert.match(page.text, /<form method="post" action="\/hands\/researcher"/);
    assert.match(page.text, /<input[^>]*name="settings\.webhook_url"[^>]*type="url"/);
    assert.match(page.text, /value="standard" selected/);

    const bad = await fetchPage(f, "/hands/researcher", {
      cookie: operator,
      form: {
        "settings.topic": "  ",
        "settings.depth": "standard",
        "settings.audience": HOSTILE,
        "settings.webhook_url": "",
        name: "desk",
        model: "script:/tmp/x.json",
        cron: "61 * * * *",
        tz: "UTC",
      },
    });
    assert.equal(bad.status, 400, bad.text.slice(0, 300));
    assert.equal(fieldError(bad.text, "hand-settings-topic"), "Topic is required");
    assert.match(bad.text, /id="hand-settings-topic"[^>]*aria-invalid="true"/);
    assert.equal(textareaValue(bad.text, "settings.audience"), HOSTILE, "typed text kept");
    assert.ok(!bad.text.includes("<script>alert(1)"), "and escaped");
    assert.equal(inputValue(bad.text, "name"), "desk");
    assert.equal(inputValue(bad.text, "model"), "script:/tmp/x.json");
    assert.equal(inputValue(bad.text, "cron"), "61 * * * *");
    assert.deepEqual(f.kernel.hands.instances(), [], "nothing written");
    const badCron = await fetchPage(f, "/hands/researcher", {
      cookie: operator,
      form: { "settings.topic": "kept", name: "desk", cron: "61 * * * *" },
    });
    assert.equal(badCron.status, 400, badCron.text.slice(0, 300));
    assert.ok(fieldError(badCron.text, "hand-cron"), "the kernel's cron refusal is on its field");
    assert.equal(textareaValue(badCron.text, "settings.topic"), "kept");
    assert.deepEqual(f.kernel.hands.instances(), [], "nothing written");
    assert.deepEqual(f.kernel.agents.list({}), [], "no agent spawned");

    const script = await writeScript(f.dir, {
      turns: [{
        match: "Scheduled run",
        steps: [
          {
            tool_calls: [{
              name: "report_write",
              args: { title: "Page report", body: "Done.", sources: [] },
            }],
          },
          { text: "ok" },
        ],
      }],
    });
    const good = await fetchPage(f, "/hands/researcher", {
      cookie: operator,
      form: {
        "settings.topic": "Edge SQLite",
        "settings.depth": "deep",
        "settings.audience": "engineers",
        "settings.webhook_url": "",
        name: "desk",
        model: `script:${script}`,
        cron: "",
        tz: "",
      },
    });
    assert.equal(good.status, 303, good.text.slice(0, 300));
    assert.equal(good.location, "/hands?activated=desk#instance-desk");
    const desk = f.kernel.hands.instance("desk");
    assert.deepEqual([desk.settings.topic, desk.settings.depth, desk.cron], [
      "Edge SQLite",
      "deep",
      "0 7 * * 1",
    ]);

    const taken = await fetchPage(f, "/hands/researcher", {
      cookie: operator,
      form: { "settings.topic": "again", name: "desk" },
    });
    assert.equal(taken.status, 409);
    assert.equal(fieldError(taken.text, "hand-name"), "already in use");
    assert.equal(textareaValue(taken.text, "settings.topic"), "again");

    const ran = await fetchPage(f, "/hands", {
      cookie: operator,
      form: { instance: desk.id, action: "run" },
    });
    assert.equal(ran.status, 303);
    assert.equal(ran.location, "/hands?done=run&instance=desk#instance-desk");
    await runsSettled(f.kernel, "desk");
    const after = await fetchPage(f, "/hands?done=run&instance=desk", { cookie: operator });
    assert.match(after.text, /Started a run of desk\./);
    assert.match(after.text, /<a href="\/hands\/reports\/[0-9a-f-]+">Page report<\/a>/);
    assert.match(after.text, /Reports written<\/dt><dd>1</);

    for (const action of ["pause", "resume", "deactivate"]) {
      const r = await fetchPage(f, "/hands", {
        cookie: operator,
        form: { instance: "desk", action },
      });
      assert.equal(r.status, 303, `${action}: ${r.text.slice(0, 200)}`);
    }
    assert.equal(f.kernel.hands.instance("desk").state, "deactivated");
    const refused = await fetchPage(f, "/hands", {
      cookie: operator,
      form: { instance: "desk", action: "explode" },
    });
    assert.equal(refused.status, 400);
  });
});

Deno.test("the report page renders markdown and keeps hostile report text inert", async () => {
  await withApi(async (f) => {
    const script = await writeScript(f.dir, {
      turns: [{
        match: "Scheduled run",
        steps: [
          {
            tool_calls: [{
              name: "report_write",
              args: {
                title: `Title ${HOSTILE}`,
                body: `## Findings\n\nA **bold** claim [1].\n\n${HOSTILE}\n\n` +
                  `[click](javascript:alert(3)) <a href="javascript:alert(4)">x</a>\n\n` +
                  "| a | b |\n| - | - |\n| 1 | 2 |\n",
                sources: [{ url: "https://example.com/src", title: `Src ${HOSTILE}` }],
              },
            }],
          },
          { text: "ok" },
        ],
      }],
    });
    f.kernel.hands.activate("researcher", {
      settings: { topic: "x" },
      model: `script:${script}`,
    });
    f.kernel.hands.run("researcher");
    await runsSettled(f.kernel, "researcher");
    const [report] = f.kernel.reports.list();
    const viewer = await sessionCookie(f, "viewer");
    const r = await fetchPage(f, `/hands/reports/${report!.id}`, { cookie: viewer });
    assert.equal(r.status, 200);
    assert.match(r.text, /<strong>bold<\/strong>/, "markdown rendered");
    assert.match(r.text, /<table/);
    assert.match(r.text, /<h4>Findings<\/h4>|<h3>Findings<\/h3>/);
    assert.match(r.text, /href="https:\/\/example\.com\/src" rel="noopener noreferrer nofollow"/);
    const body = r.text.replace(/<script type="module"[\s\S]*?<\/script>/g, "");
    assert.ok(!/<script>alert/.test(body), "no script from the report");
    assert.ok(!/<img/.test(body), "no image from the report");
    assert.ok(!/href="javascript:/i.test(body), "no javascript: link");
    assert.ok(
      body.includes("&lt;script>alert(1)&lt;/script>") || body.includes("&lt;script&gt;alert(1)"),
    );
    const missing = await fetchPage(f, "/hands/reports/nope", { cookie: viewer });
    assert.equal(missing.status, 404);
  });
});
