import assert from "node:assert/strict";
import { isTimeZone, localIso } from "../../../../kernel/tools/builtins/system_time.ts";
import { withKernel } from "../../fixtures.ts";
import { callTools } from "../fixtures.ts";

Deno.test("system_time returns the current UTC time when no timezone is given", async () => {
  await withKernel(async (kernel, dir) => {
    const before = Date.now();
    const { ends } = await callTools(kernel, dir, { calls: [{ name: "system_time" }] });
    const after = Date.now();
    assert.equal(ends[0]!.data.ok, true);
    const out = JSON.parse(ends[0]!.data.output);
    assert.equal(out.timezone, "UTC");
    const utc = Date.parse(out.utc);
    assert.ok(utc >= before && utc <= after, out.utc);
    assert.equal(out.local, out.utc.replace("Z", "+00:00"));
    assert.match(out.weekday, /^[A-Z][a-z]+day$/);
  });
});

Deno.test("system_time gives the local time in an IANA timezone with its offset", async () => {
  await withKernel(async (kernel, dir) => {
    const { ends } = await callTools(kernel, dir, {
      calls: [{ name: "system_time", args: { timezone: "Asia/Kolkata" } }],
    });
    const out = JSON.parse(ends[0]!.data.output);
    assert.equal(out.timezone, "Asia/Kolkata");
    assert.match(out.local, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+05:30$/);
    assert.equal(Date.parse(out.local), Date.parse(out.utc), "the same instant");
  });
});

Deno.test("system_time refuses an unknown timezone with invalid_args", async () => {
  await withKernel(async (kernel, dir) => {
    const { result, ends } = await callTools(kernel, dir, {
      calls: [{ name: "system_time", args: { timezone: "Mars/Olympus_Mons" } }],
    });
    assert.equal(result.status, "completed");
    assert.equal(ends[0]!.data.ok, false);
    assert.match(ends[0]!.data.output, /timezone: unknown time zone; use an IANA name/);
  });
});

Deno.test("localIso() follows daylight saving time and isTimeZone() knows IANA names", () => {
  const winter = new Date("2024-01-15T12:00:00.250Z");
  const summer = new Date("2024-07-15T12:00:00Z");
  assert.equal(localIso(winter, "America/New_York"), "2024-01-15T07:00:00.250-05:00");
  assert.equal(localIso(summer, "America/New_York"), "2024-07-15T08:00:00.000-04:00");
  assert.equal(localIso(summer, "UTC"), "2024-07-15T12:00:00.000+00:00");
  assert.equal(
    localIso(new Date("2024-12-31T23:30:00Z"), "Asia/Tokyo"),
    "2025-01-01T08:30:00.000+09:00",
  );
  assert.equal(isTimeZone("Europe/Paris"), true);
  assert.equal(isTimeZone("Europe/Nowhere"), false);
});
