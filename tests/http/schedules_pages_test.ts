import assert from "node:assert/strict";
import {
  type ApiFixture,
  fetchPage as fetchShared,
  type PageReply,
  sessionCookie,
  withApi,
} from "./http_fixtures.ts";

const HOSTILE = `</script><script>alert(1)</script>"'&`;

/** A page request; forms carry our own Origin, as the pages' forms do. */
function fetchPage(
  f: ApiFixture,
  path: string,
  init: { cookie?: string; form?: Record<string, string> } = {},
): Promise<PageReply> {
  return fetchShared(f, path, { ...init, origin: init.form ? f.server.url : undefined });
}

/** The value of the input named `name`, decoded (`undefined` when there is none). */
function inputValue(html: string, name: string): string | undefined {
  const tag = new RegExp(`<input[^>]*name="${name}"[^>]*>`).exec(html)?.[0];
  const raw = tag ? /value="([^"]*)"/.exec(tag)?.[1] : undefined;
  return raw?.replaceAll("&quot;", '"').replaceAll("&#39;", "'").replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">").replaceAll("&amp;", "&");
}

/** The inline error of form field `id`, if any. */
function fieldError(html: string, id: string): string | undefined {
  return new RegExp(`<p id="${id}-error" class="field-error">([^<]*)</p>`).exec(html)?.[1];
}

const CREATE = {
  action: "create",
  agent: "scout",
  kind: "cron",
  expr: "0 9 * * 1-5",
  tz: "Europe/Berlin",
  message: "morning report",
  catch_up: "once",
  overlap: "skip",
  max_runtime: "",
};

Deno.test("a schedule is created by a plain form POST; a bad cron re-renders with the error on the field and every typed value kept", async () => {
  await withApi(async (f) => {
    f.kernel.agents.spawn({ name: "scout" });
    const operator = await sessionCookie(f, "operator");

    const bad = await fetchPage(f, "/schedules", {
      cookie: operator,
      form: { ...CREATE, expr: "61 * * * *", message: HOSTILE },
    });
    assert.equal(bad.status, 400, bad.text.slice(0, 500));
    assert.ok(fieldError(bad.text, "new-expr"), "the cron error is on the expression field");
    assert.match(bad.text, /id="new-expr"[^>]*aria-invalid="true"/);
    assert.equal(inputValue(bad.text, "expr"), "61 * * * *");
    assert.equal(inputValue(bad.text, "tz"), "Europe/Berlin");
    assert.ok(bad.text.includes("&lt;/script>&lt;script>alert(1)"), "message kept, escaped");
    assert.ok(!bad.text.includes(HOSTILE));
    assert.deepEqual(f.kernel.schedules.list({}), [], "nothing written");

    const badZone = await fetchPage(f, "/schedules", {
      cookie: operator,
      form: { ...CREATE, tz: "Mars/Olympus" },
    });
    assert.equal(badZone.status, 400);
    assert.match(fieldError(badZone.text, "new-tz") ?? "", /time zone/);
    assert.equal(inputValue(badZone.text, "tz"), "Mars/Olympus");

    const tooFast = await fetchPage(f, "/schedules", {
      cookie: operator,
      form: { ...CREATE, kind: "every", expr: "0s" },
    });
    assert.equal(tooFast.status, 400);
    assert.ok(fieldError(tooFast.text, "new-expr"));

    const unknown = await fetchPage(f, "/schedules", {
      cookie: operator,
      form: { ...CREATE, agent: "nobody" },
    });
    assert.equal(unknown.status, 400, unknown.text.slice(0, 300));
    assert.match(fieldError(unknown.text, "new-agent") ?? "", /nobody|agent/);
    assert.deepEqual(f.kernel.schedules.list({}), [], "nothing written");

    const ok = await fetchPage(f, "/schedules", { cookie: operator, form: CREATE });
    assert.equal(ok.status, 303, ok.text.slice(0, 300));
    const [schedule] = f.kernel.schedules.list({});
    assert.ok(schedule);
    assert.equal(ok.location, `/schedules/${schedule.id}?saved=1`);
    assert.deepEqual([schedule.kind, schedule.expr, schedule.tz, schedule.message], [
      "cron",
      "0 9 * * 1-5",
      "Europe/Berlin",
      "morning report",
    ]);
    assert.match(schedule.created_by, /^token:|^session:|:/);
  });
});

Deno.test("the schedules list and page show agent, next run in its zone and UTC, and runs; viewers get no forms", async () => {
  await withApi(async (f) => {
    f.kernel.agents.spawn({ name: "scout" });
    const schedule = f.kernel.schedules.create({
      agent: "scout",
      cron: "0 9 * * *",
      tz: "Europe/Berlin",
      message: HOSTILE,
    });
    const viewer = await sessionCookie(f, "viewer");
    const list = await fetchPage(f, "/schedules", { cookie: viewer });
    assert.equal(list.status, 200);
    assert.match(list.text, /<a href="\/agents\/[^"]+">scout<\/a>/);
    assert.match(list.text, /\d\d:00 Europe\/Berlin \(\d\d:00 UTC\)|Europe\/Berlin \(\d{4}-/);
    assert.match(list.text, /never/);
    assert.ok(!list.text.includes(HOSTILE), "the message is escaped");
    assert.ok(!/<form[^>]*method="post"[^>]*action="\/schedules/.test(list.text), "no forms");
    const page = await fetchPage(f, `/schedules/${schedule.id}`, { cookie: viewer });
    assert.equal(page.status, 200);
    assert.match(page.text, /No runs yet/);
    assert.ok(!page.text.includes('name="action"'), "no controls for a viewer");
    const posted = await fetchPage(f, `/schedules/${schedule.id}`, {
      cookie: viewer,
      form: { action: "disable" },
    });
    assert.equal(posted.status, 403);
    assert.equal(f.kernel.schedules.get(schedule.id).enabled, true);
    assert.equal((await fetchPage(f, "/schedules/nope", { cookie: viewer })).status, 404);
  });
});

Deno.test("an operator toggles, runs now and edits a schedule without JavaScript; a bad edit keeps the typed values", async () => {
  await withApi(async (f) => {
    f.kernel.agents.spawn({ name: "scout" });
    const schedule = f.kernel.schedules.create({ agent: "scout", every: "1h", message: "tick" });
    const operator = await sessionCookie(f, "operator");
    const self = `/schedules/${schedule.id}`;

    const off = await fetchPage(f, self, {
      cookie: operator,
      form: { action: "disable", back: "/schedules" },
    });
    assert.equal(off.status, 303);
    assert.equal(off.location, "/schedules");
    assert.equal(f.kernel.schedules.get(schedule.id).enabled, false);
    const list = await fetchPage(f, "/schedules", { cookie: operator });
    assert.match(list.text, /role="switch" aria-checked="false"/);
    const on = await fetchPage(f, self, {
      cookie: operator,
      form: { action: "enable", back: "https://evil.example/" },
    });
    assert.equal(on.location, "/", "an off-site back is not followed");
    assert.equal(f.kernel.schedules.get(schedule.id).enabled, true);

    const run = await fetchPage(f, self, { cookie: operator, form: { action: "run" } });
    assert.equal(run.status, 303, run.text.slice(0, 400));
    const runs = f.kernel.schedules.runs(schedule.id).runs;
    assert.equal(runs.length, 1);
    assert.equal(runs[0]!.trigger, "manual");

    const bad = await fetchPage(f, self, {
      cookie: operator,
      form: { action: "edit", kind: "every", expr: "soon", message: "tock", catch_up: "skip" },
    });
    assert.equal(bad.status, 400);
    assert.ok(fieldError(bad.text, "edit-expr"));
    assert.equal(inputValue(bad.text, "expr"), "soon");
    assert.match(bad.text, /<option value="skip" selected>record as missed/);
    assert.equal(f.kernel.schedules.get(schedule.id).expr, "1h", "nothing written");

    const good = await fetchPage(f, self, {
      cookie: operator,
      form: { action: "edit", kind: "every", expr: "2h", message: "tock", catch_up: "skip" },
    });
    assert.equal(good.status, 303);
    const edited = f.kernel.schedules.get(schedule.id);
    assert.deepEqual([edited.expr, edited.message, edited.catch_up], ["2h", "tock", "skip"]);
    const page = await fetchPage(f, `${self}?saved=1`, { cookie: operator });
    assert.match(page.text, /Saved\./);
    assert.match(page.text, /<span class="badge badge-[a-z]+">(queued|running|ok)<\/span>/);
  });
});
