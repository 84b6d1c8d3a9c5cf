import assert from "node:assert/strict";
import {
  checkScheduleForm,
  emptyScheduleForm,
  scheduleBodyOf,
  scheduleRefusalErrors,
  scheduleValuesFrom,
} from "../../../islands/lib/schedule_form.ts";
import { formatInZone, timeLeft, zonedAndUtc } from "../../../islands/lib/schedule_format.ts";

Deno.test("checkScheduleForm() builds the API body from kind and expression, and puts schema issues on the form's fields", () => {
  const values = { ...emptyScheduleForm("scout"), expr: " 0 9 * * * ", tz: "Europe/Berlin" };
  values.message = "report";
  const ok = checkScheduleForm(values, { create: true });
  assert.deepEqual(ok, {
    ok: true,
    body: {
      agent: "scout",
      cron: "0 9 * * *",
      tz: "Europe/Berlin",
      message: "report",
      catch_up: "once",
      overlap: "skip",
    },
  });
  const every = scheduleBodyOf({ ...values, kind: "every", expr: "5m" }, { create: false });
  assert.deepEqual(every.tz, undefined, "tz goes only with cron");
  assert.equal(every.agent, undefined, "an edit never names the agent");

  const bad = checkScheduleForm(
    { ...values, kind: "every", expr: "soon", tz: "Mars/Base", message: " ", agent: "" },
    { create: true },
  );
  assert.equal(bad.ok, false);
  if (bad.ok) return;
  assert.deepEqual(Object.keys(bad.errors).sort(), ["agent", "expr", "message"]);
  const zone = checkScheduleForm({ ...values, tz: "Mars/Base" }, { create: true });
  assert.ok(!zone.ok && zone.errors.tz);
});

Deno.test("scheduleValuesFrom() keeps strings only and an unknown kind falls back to cron; refusals land on fields", () => {
  const form: Record<string, unknown> = { kind: "weekly", expr: "1h", agent: new Blob([]) };
  const values = scheduleValuesFrom((name) => form[name]);
  assert.equal(values.kind, "cron");
  assert.equal(values.agent, "");
  assert.equal(values.expr, "1h");
  const refusal = scheduleRefusalErrors({
    message: "bad",
    fields: { every: "too often", tz: "unknown", "resources.x": "ignored" },
  });
  assert.deepEqual(refusal, { errors: { expr: "too often", tz: "unknown" }, formError: "bad" });
});

Deno.test("times show in the schedule's zone and UTC; time left counts down to expired", () => {
  assert.equal(formatInZone("2026-03-29T07:00:00Z", "Europe/Berlin"), "2026-03-29 09:00");
  assert.equal(
    zonedAndUtc("2026-03-29T07:00:00Z", "Europe/Berlin"),
    "2026-03-29 09:00 Europe/Berlin (07:00 UTC)",
  );
  assert.equal(
    zonedAndUtc("2026-03-29T23:30:00Z", "Asia/Tokyo"),
    "2026-03-30 08:30 Asia/Tokyo (2026-03-29 23:30 UTC)",
  );
  assert.equal(zonedAndUtc("2026-03-29T07:00:00Z", "UTC"), "2026-03-29 07:00 UTC");
  assert.equal(formatInZone("2026-03-29T07:00:00Z", "Not/AZone"), "2026-03-29 07:00 UTC");
  const now = Date.parse("2026-01-01T00:00:00Z");
  assert.equal(timeLeft("2026-01-01T00:05:00Z", now), "5m 00s");
  assert.equal(timeLeft("2026-01-01T00:00:09.5Z", now), "9s");
  assert.equal(timeLeft("2026-01-01T02:03:00Z", now), "2h 03m");
  assert.equal(timeLeft("2025-12-31T23:59:59Z", now), "expired");
  assert.equal(timeLeft("garbage", now), "—");
});
