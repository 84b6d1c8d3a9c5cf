import assert from "node:assert/strict";
import {
  HandDetail,
  HandInstanceList,
  HandInstanceView,
  HandList,
  ReportList,
  ReportView,
  ScheduleRunView,
} from "../../kernel/types.ts";
import { writeScript } from "../kernel/fixtures.ts";
import { runsSettled } from "../kernel/hands/hand_fixtures.ts";
import { type ApiFixture, call, withApi } from "./http_fixtures.ts";

type Json = Record<string, unknown>;

function send(f: ApiFixture, token: string, method: string, path: string, body?: unknown) {
  return call(f, method, path, {
    token,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

function errorOf(body: Json): { code: string; message: string; fields?: Record<string, string> } {
  return body.error as { code: string; message: string; fields?: Record<string, string> };
}

const REPORT_SCRIPT = {
  turns: [{
    match: "Scheduled run",
    steps: [
      {
        tool_calls: [{
          name: "report_write",
          args: {
            title: "Findings",
            body: "# Summary\n\n<script>alert(1)</script> two **facts** [1]",
            sources: [{ url: "https://example.com/a", title: "A" }],
          },
        }],
      },
      { text: "stored" },
    ],
  }],
};

Deno.test("GET /api/hands lists the catalog with requirements; GET /api/hands/{id} adds the SOP; unknown ids are 404", async () => {
  await withApi(async (f) => {
    const list = HandList.parse((await send(f, f.tokens.viewer, "GET", "/api/hands")).body);
    const ids = list.hands.map((h) => h.manifest.id);
    for (const id of ["collector", "lead", "predictor", "researcher", "social"]) {
      assert.ok(ids.includes(id), `${id} in ${ids}`);
    }
    const researcher = list.hands.find((h) => h.manifest.id === "researcher")!;
    assert.equal(researcher.ready, true);
    assert.deepEqual(researcher.instances, []);
    const detail = await send(f, f.tokens.viewer, "GET", "/api/hands/researcher");
    assert.equal(detail.status, 200);
    assert.match(HandDetail.parse(detail.body).sop, /Plan/);
    const missing = await send(f, f.tokens.viewer, "GET", "/api/hands/nope");
    assert.equal(missing.status, 404);
    assert.equal(errorOf(missing.body).code, "not_found");
  });
});

Deno.test("activate → instances → settings PATCH → run now → reports → pause/resume → DELETE deactivates, keeping its report", async () => {
  await withApi(async (f) => {
    const { operator, viewer } = f.tokens;
    const script = await writeScript(f.dir, REPORT_SCRIPT);
    const created = await send(f, operator, "POST", "/api/hands/researcher/activate", {
      name: "desk",
      settings: { topic: "Deno SQLite", depth: "quick" },
      model: `script:${script}`,
    });
    assert.equal(created.status, 201, created.text);
    const instance = HandInstanceView.parse(created.body);
    assert.deepEqual([instance.name, instance.hand_id, instance.state], [
      "desk",
      "researcher",
      "active",
    ]);
    assert.equal(instance.settings.topic, "Deno SQLite");
    const audit = f.kernel.audit.list({ action: "agent.spawn" }).entries;
    assert.match(audit.at(-1)!.actor, /^token:/);

    const listed = HandInstanceList.parse(
      (await send(f, viewer, "GET", "/api/hand-instances?hand=researcher")).body,
    );
    assert.deepEqual(listed.instances.map((i) => i.name), ["desk"]);
    const shown = await send(f, viewer, "GET", "/api/hand-instances/desk");
    assert.equal(HandInstanceView.parse(shown.body).id, instance.id);

    const patched = await send(f, operator, "PATCH", `/api/hand-instances/${instance.id}`, {
      settings: { depth: "deep" },
    });
    assert.equal(patched.status, 200, patched.text);
    assert.equal(HandInstanceView.parse(patched.body).settings.depth, "deep");

    const run = await send(f, operator, "POST", "/api/hand-instances/desk/run");
    assert.equal(run.status, 201, run.text);
    ScheduleRunView.parse(run.body);
    await runsSettled(f.kernel, "desk");
    const reports = ReportList.parse(
      (await send(f, viewer, "GET", "/api/reports?instance=desk")).body,
    );
    assert.equal(reports.reports.length, 1);
    const report = ReportView.parse(
      (await send(f, viewer, "GET", `/api/reports/${reports.reports[0]!.id}`)).body,
    );
    assert.equal(report.title, "Findings");
    assert.match(report.body, /<script>alert\(1\)<\/script>/, "the API returns the text as stored");

    const paused = await send(f, operator, "POST", "/api/hand-instances/desk/pause");
    assert.equal(HandInstanceView.parse(paused.body).state, "paused");
    const refused = await send(f, operator, "POST", "/api/hand-instances/desk/run");
    assert.equal(refused.status, 409, refused.text);
    const resumed = await send(f, operator, "POST", "/api/hand-instances/desk/resume");
    assert.equal(HandInstanceView.parse(resumed.body).state, "active");
    const gone = await send(f, operator, "DELETE", "/api/hand-instances/desk");
    assert.equal(gone.status, 200, gone.text);
    assert.equal(HandInstanceView.parse(gone.body).state, "deactivated");
    const kept = ReportList.parse((await send(f, viewer, "GET", "/api/reports")).body);
    assert.equal(kept.reports.length, 1, "reports outlive the instance");
    const again = await send(f, operator, "POST", "/api/hand-instances/desk/pause");
    assert.equal(again.status, 409);
  });
});

Deno.test("bad activation input is a 400 naming each field by its path, and writes nothing", async () => {
  await withApi(async (f) => {
    const { operator } = f.tokens;
    const cases: [unknown, string[]][] = [
      [{ settings: {} }, ["settings.topic"]],
      [{ settings: { topic: "  " } }, ["settings.topic"]],
      [{ settings: { topic: "x", depth: "bottomless" } }, ["settings.depth"]],
      [{ settings: { topic: "x", colour: "red" } }, ["settings.colour"]],
      [{ name: "Not A Slug", settings: { topic: "x" } }, ["name"]],
      [{ settings: { topic: "x" }, cron: "61 * * * *" }, ["cron"]],
      [{ settings: { topic: "x" }, tz: "Mars/Base" }, ["tz"]],
      [{ settings: { topic: "x" }, surprise: 1 }, [""]],
    ];
    for (const [body, fields] of cases) {
      const r = await send(f, operator, "POST", "/api/hands/researcher/activate", body);
      assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
      const error = errorOf(r.body);
      assert.equal(error.code, "invalid_input");
      for (const field of fields.filter(Boolean)) {
        assert.ok(error.fields?.[field], `${JSON.stringify(body)} names ${field}: ${r.text}`);
      }
    }
    const notJson = await call(f, "POST", "/api/hands/researcher/activate", {
      token: operator,
      body: "{nope",
    });
    assert.equal(notJson.status, 400);
    assert.deepEqual(f.kernel.hands.instances(), [], "nothing was activated");
    assert.deepEqual(f.kernel.agents.list({}), [], "no agent was spawned");
    assert.deepEqual(f.kernel.schedules.list({}), [], "no schedule was created");

    f.kernel.hands.activate("researcher", { settings: { topic: "kept" } });
    const taken = await send(f, operator, "POST", "/api/hands/researcher/activate", {
      settings: { topic: "x" },
    });
    assert.equal(taken.status, 409, taken.text);
    assert.ok(errorOf(taken.body).fields?.name);
    const patch = await send(f, operator, "PATCH", "/api/hand-instances/researcher", {
      settings: { depth: "bottomless", topic: "changed" },
    });
    assert.equal(patch.status, 400);
    assert.ok(errorOf(patch.body).fields?.["settings.depth"], patch.text);
    const empty = await send(f, operator, "PATCH", "/api/hand-instances/researcher", {
      settings: {},
    });
    assert.equal(empty.status, 400);
    assert.ok(errorOf(empty.body).fields?.settings, empty.text);
    assert.equal(f.kernel.hands.instance("researcher").settings.topic, "kept", "nothing written");
    for (const path of ["/api/reports?limit=0", "/api/hand-instances?state=sleeping"]) {
      const r = await send(f, f.tokens.viewer, "GET", path);
      assert.equal(r.status, 400, path);
      assert.ok(Object.keys(errorOf(r.body).fields ?? {}).length > 0, r.text);
    }
    const unknown = await send(f, f.tokens.viewer, "GET", "/api/reports?instance=ghost");
    assert.equal(unknown.status, 404);
  });
});

Deno.test("Hand writes need an operator: a viewer gets 403 and nothing is written", async () => {
  await withApi(async (f) => {
    f.kernel.hands.activate("researcher", { settings: { topic: "t" } });
    const { viewer } = f.tokens;
    for (
      const [method, path, body] of [
        ["POST", "/api/hands/lead/activate", { settings: { profile: "p" } }],
        ["PATCH", "/api/hand-instances/researcher", { settings: { topic: "u" } }],
        ["POST", "/api/hand-instances/researcher/pause", undefined],
        ["POST", "/api/hand-instances/researcher/resume", undefined],
        ["POST", "/api/hand-instances/researcher/run", undefined],
        ["DELETE", "/api/hand-instances/researcher", undefined],
      ] as const
    ) {
      const r = await send(f, viewer, method, path, body);
      assert.equal(r.status, 403, `${method} ${path}`);
    }
    const [instance] = f.kernel.hands.instances();
    assert.deepEqual([instance!.state, instance!.settings.topic], ["active", "t"]);
    assert.equal(f.kernel.hands.instances().length, 1);
  });
});
