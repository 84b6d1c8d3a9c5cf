import assert from "node:assert/strict";
import { ScheduleList, ScheduleRunList, ScheduleView } from "../../kernel/types.ts";
import { call, withApi } from "./http_fixtures.ts";

type Json = Record<string, unknown>;

function send(
  f: Parameters<Parameters<typeof withApi>[0]>[0],
  token: string,
  method: string,
  path: string,
  body?: unknown,
) {
  return call(f, method, path, {
    token,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

Deno.test("POST /api/schedules creates (201, audited with the token as actor); GET lists and shows it; PATCH edits; DELETE removes (204)", async () => {
  await withApi(async (f) => {
    f.kernel.agents.spawn({ name: "a" });
    const { operator, viewer } = f.tokens;
    const created = await send(f, operator, "POST", "/api/schedules", {
      agent: "a",
      cron: "0 9 * * 1-5",
      tz: "Europe/Berlin",
      message: "morning report",
    });
    assert.equal(created.status, 201, created.text);
    const view = ScheduleView.parse(created.body);
    assert.deepEqual([view.kind, view.expr, view.tz, view.owner], [
      "cron",
      "0 9 * * 1-5",
      "Europe/Berlin",
      "user",
    ]);
    const audit = f.kernel.audit.list({ action: "schedule.created" }).entries;
    assert.equal(audit.length, 1);
    assert.match(audit[0]!.actor, /^token:/);

    const list = ScheduleList.parse((await send(f, viewer, "GET", "/api/schedules?agent=a")).body);
    assert.deepEqual(list.schedules.map((s) => s.id), [view.id]);
    const shown = await send(f, viewer, "GET", `/api/schedules/${view.id}`);
    assert.equal(shown.status, 200);
    assert.equal((shown.body as Json).message, "morning report");

    const edited = await send(f, operator, "PATCH", `/api/schedules/${view.id}`, {
      every: "5m",
      enabled: false,
    });
    assert.equal(edited.status, 200, edited.text);
    assert.deepEqual(
      [(edited.body as Json).kind, (edited.body as Json).expr, (edited.body as Json).enabled],
      ["every", "5m", false],
    );
    const removed = await send(f, operator, "DELETE", `/api/schedules/${view.id}`);
    assert.equal(removed.status, 204);
    const gone = await send(f, viewer, "GET", `/api/schedules/${view.id}`);
    assert.equal(gone.status, 404);
    assert.equal((gone.body.error as Json).code, "not_found");
  });
});

Deno.test("schedule writes need an operator: a viewer gets 403 and nothing is written", async () => {
  await withApi(async (f) => {
    f.kernel.agents.spawn({ name: "a" });
    const id = f.kernel.schedules.create({ agent: "a", every: "1h", message: "m" }).id;
    const { viewer } = f.tokens;
    for (
      const [method, path, body] of [
        ["POST", "/api/schedules", { agent: "a", every: "1h", message: "m" }],
        ["PATCH", `/api/schedules/${id}`, { enabled: false }],
        ["DELETE", `/api/schedules/${id}`, undefined],
        ["POST", `/api/schedules/${id}/run`, undefined],
      ] as const
    ) {
      const r = await send(f, viewer, method, path, body);
      assert.equal(r.status, 403, `${method} ${path}`);
    }
    assert.equal(f.kernel.schedules.list().length, 1);
    assert.equal(f.kernel.schedules.get(id).enabled, true);
    assert.equal(f.kernel.schedules.runs(id).runs.length, 0);
  });
});

Deno.test("bad schedule input is a 400 naming the field, and writes nothing", async () => {
  await withApi(async (f) => {
    f.kernel.agents.spawn({ name: "a" });
    const { operator } = f.tokens;
    const cases: [Json, string][] = [
      [{ agent: "a", cron: "61 * * * *", message: "m" }, "cron"],
      [{ agent: "a", cron: "* * * * *", tz: "Mars/Olympus", message: "m" }, "tz"],
      [{ agent: "a", every: "500ms", message: "m" }, "every"],
      [{ agent: "ghost", every: "1h", message: "m" }, "agent"],
      [{ agent: "a", mode: "cron", every: "1h", message: "m" }, "mode"],
      [{ agent: "a", every: "1h", message: "" }, "message"],
      [{ agent: "a", every: "1h", at: "2030-01-01T00:00:00Z", message: "m" }, "at"],
      [{ agent: "a", message: "m" }, "cron"],
      [{ agent: "a", every: "1h", message: "m", catch_up: "always" }, "catch_up"],
    ];
    for (const [body, field] of cases) {
      const r = await send(f, operator, "POST", "/api/schedules", body);
      assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
      const error = r.body.error as { code: string; fields?: Record<string, string> };
      assert.equal(error.code, "invalid_input");
      assert.ok(error.fields?.[field], `${JSON.stringify(body)} names ${field}: ${r.text}`);
    }
    const id = f.kernel.schedules.create({ agent: "a", every: "1h", message: "m" }).id;
    const bad = await send(f, operator, "PATCH", `/api/schedules/${id}`, { every: "0s" });
    assert.equal(bad.status, 400);
    assert.ok((bad.body.error as { fields: Json }).fields.every);
    const empty = await send(f, operator, "PATCH", `/api/schedules/${id}`, {});
    assert.equal(empty.status, 400);
    const badRuns = await send(f, operator, "GET", `/api/schedules/${id}/runs?limit=0`);
    assert.equal(badRuns.status, 400);
    assert.ok((badRuns.body.error as { fields: Json }).fields.limit);
    assert.equal(f.kernel.schedules.list().length, 1);
    assert.equal(f.kernel.schedules.get(id).expr, "1h");
    assert.equal(f.kernel.audit.list({ action: "schedule.created" }).entries.length, 1);
    assert.equal(f.kernel.audit.list({ action: "schedule.updated" }).entries.length, 0);
  });
});

Deno.test("DELETE of a schedule owned by a manifest is a 409 naming the owner, and keeps it", async () => {
  await withApi(async (f) => {
    const agent = f.kernel.agents.spawn({
      name: "reporter",
      schedule: { every: "1h", message: "report" },
    });
    const [row] = f.kernel.schedules.list({ agent: agent.id });
    assert.equal(row!.owner, "manifest");
    const r = await send(f, f.tokens.operator, "DELETE", `/api/schedules/${row!.id}`);
    assert.equal(r.status, 409, r.text);
    const error = r.body.error as { code: string; message: string; details: Json };
    assert.equal(error.details.owner, "manifest");
    assert.match(error.message, /manifest/);
    assert.match(error.message, /reporter/);
    assert.equal(f.kernel.schedules.get(row!.id).id, row!.id);
  });
});

Deno.test("POST /api/schedules/{id}/run fires now and the run shows in GET …/runs", async () => {
  await withApi(async (f) => {
    f.kernel.agents.spawn({ name: "a" });
    const id = f.kernel.schedules.create({ agent: "a", every: "1h", message: "hello" }).id;
    const fired = await send(f, f.tokens.operator, "POST", `/api/schedules/${id}/run`);
    assert.equal(fired.status, 201, fired.text);
    assert.equal((fired.body as Json).trigger, "manual");
    for (let i = 0; i < 500; i++) {
      if (f.kernel.schedules.runs(id).runs[0]?.outcome === "ok") break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const runs = ScheduleRunList.parse(
      (await send(f, f.tokens.viewer, "GET", `/api/schedules/${id}/runs?limit=10`)).body,
    );
    assert.equal(runs.runs.length, 1);
    assert.equal(runs.runs[0]!.outcome, "ok");
    assert.equal(runs.runs[0]!.id, (fired.body as Json).id);
    assert.equal(runs.next_before, null);
  });
});

Deno.test("GET /api/schedules/preview answers the next five fire times; a bad cron or tz is a 400 naming it", async () => {
  await withApi(async (f) => {
    const { viewer } = f.tokens;
    const ok = await send(
      f,
      viewer,
      "GET",
      `/api/schedules/preview?cron=${encodeURIComponent("0 9 * * *")}&tz=Europe/Berlin`,
    );
    assert.equal(ok.status, 200, ok.text);
    const times = (ok.body as { times: string[] }).times;
    assert.equal(times.length, 5);
    for (const t of times) {
      const d = new Date(t);
      assert.ok(d.getUTCHours() === 7 || d.getUTCHours() === 8, t);
      assert.equal(d.getUTCMinutes(), 0);
    }
    for (
      const [query, field] of [
        [`cron=${encodeURIComponent("99 * * * *")}`, "cron"],
        [`cron=${encodeURIComponent("* * * * *")}&tz=Nowhere/Land`, "tz"],
        ["", "cron"],
      ]
    ) {
      const r = await send(f, viewer, "GET", `/api/schedules/preview?${query}`);
      assert.equal(r.status, 400, query);
      assert.ok((r.body.error as { fields: Json }).fields[field!], `${query}: ${r.text}`);
    }
  });
});
