import assert from "node:assert/strict";
import {
  daysStart,
  fillDays,
  formatCount,
  formatTs,
  formatUsd,
  MAX_DAYS,
  MISSING,
  parseTs,
  utcDays,
} from "../../kernel/format.ts";

Deno.test("formatUsd() writes cents, and two significant digits below a cent", () => {
  assert.equal(formatUsd(0), "$0.00");
  assert.equal(formatUsd(12.5), "$12.50");
  assert.equal(formatUsd(1234.567), "$1234.57");
  assert.equal(formatUsd(0.01), "$0.01");
  assert.equal(formatUsd(0.004), "$0.0040");
  assert.equal(formatUsd(0.0012), "$0.0012");
  assert.equal(formatUsd(0.000012), "$0.000012");
  assert.equal(formatUsd(-2.5), "-$2.50");
  assert.equal(formatUsd(-0.004), "-$0.0040");
});

Deno.test("formatUsd() never writes an exponent: tiny amounts are <$0.000001", () => {
  assert.equal(formatUsd(1e-9), "<$0.000001");
  assert.equal(formatUsd(4.9e-7), "<$0.000001");
  assert.equal(formatUsd(1e-6), "$0.000001");
  for (const tiny of [1e-7, 3e-8, 5e-12, 1e-300]) assert.doesNotMatch(formatUsd(tiny), /e/);
});

Deno.test("formatUsd() writes a missing or non-finite amount as a dash", () => {
  assert.equal(formatUsd(null), MISSING);
  assert.equal(formatUsd(undefined), MISSING);
  assert.equal(formatUsd(NaN), MISSING);
  assert.equal(formatUsd(Infinity), MISSING);
});

Deno.test("formatCount() uses thousands separators", () => {
  assert.equal(formatCount(0), "0");
  assert.equal(formatCount(1234567), "1,234,567");
});

Deno.test("formatTs() writes UTC to the second, or as asked", () => {
  const ts = "2026-03-04T05:06:07.890Z";
  assert.equal(formatTs(ts), "2026-03-04 05:06:07");
  assert.equal(formatTs(ts, { seconds: false }), "2026-03-04 05:06");
  assert.equal(formatTs(ts, { seconds: false, utc: true }), "2026-03-04 05:06 UTC");
  assert.equal(formatTs(ts, { date: false }), "05:06:07");
  assert.equal(formatTs(ts, { utc: true }), "2026-03-04 05:06:07 UTC");
});

Deno.test("formatTs() converts offsets to UTC and reads a zoneless time as UTC", () => {
  assert.equal(formatTs("2026-03-04T07:06:07+02:00"), "2026-03-04 05:06:07");
  assert.equal(formatTs("2026-03-04 05:06:07"), "2026-03-04 05:06:07");
  assert.equal(formatTs("2026-03-04T23:59"), "2026-03-04 23:59:00");
});

Deno.test("formatTs() returns text that is not a time unchanged, and a dash for none", () => {
  assert.equal(formatTs("not a time"), "not a time");
  assert.equal(formatTs(""), "");
  assert.equal(formatTs("2026-13-45T99:00:00Z"), "2026-13-45T99:00:00Z");
  assert.equal(formatTs(null), MISSING);
  assert.equal(formatTs(undefined), MISSING);
  assert.equal(parseTs("nope"), undefined);
});

Deno.test("utcDays() lists every UTC day from since to until, inclusive and capped", () => {
  assert.deepEqual(utcDays("2026-02-27T23:00:00Z", "2026-03-02T01:00:00Z"), [
    "2026-02-27",
    "2026-02-28",
    "2026-03-01",
    "2026-03-02",
  ]);
  assert.deepEqual(utcDays("2026-03-02T00:00:00Z", "2026-03-01T00:00:00Z"), []);
  assert.equal(utcDays("2000-01-01T00:00:00Z", "2026-01-01T00:00:00Z").length, MAX_DAYS);
  assert.throws(() => utcDays("yesterday", Date.now()), RangeError);
});

Deno.test("daysStart() and utcDays() give a series of exactly `days` days ending today", () => {
  const now = Date.parse("2026-03-04T15:00:00Z");
  assert.equal(daysStart(14, now), "2026-02-19T00:00:00.000Z");
  const days = utcDays(daysStart(14, now), now);
  assert.equal(days.length, 14);
  assert.equal(days.at(-1), "2026-03-04");
});

Deno.test("fillDays() keeps rows in day order and zero-fills the missing days", () => {
  const rows = [{ day: "2026-03-03", n: 5 }, { day: "2026-02-01", n: 9 }];
  const filled = fillDays(rows, ["2026-03-02", "2026-03-03", "2026-03-04"], {
    key: (r) => r.day,
    empty: (day) => ({ day, n: 0 }),
  });
  assert.deepEqual(filled, [
    { day: "2026-03-02", n: 0 },
    { day: "2026-03-03", n: 5 },
    { day: "2026-03-04", n: 0 },
  ]);
});
