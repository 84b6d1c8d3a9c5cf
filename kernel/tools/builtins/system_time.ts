/**
 * `system_time`: the current time in UTC and, optionally, in an IANA time
 * zone. Needs no capability, so every agent has it by default.
 *
 * @module
 */
import { z } from "zod";
import { defineTool, type Tool } from "../define.ts";

/** True when `zone` is an IANA time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const Input = z.strictObject({
  timezone: z.string().min(1).max(100)
    .refine(isTimeZone, "unknown time zone; use an IANA name like Europe/Paris or UTC")
    .optional()
    .describe("IANA time zone for the local time, e.g. Europe/Paris; UTC when omitted"),
});

/** The local wall-clock time of `date` in `zone`, as ISO 8601 with its UTC offset. */
export function localIso(date: Date, zone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      timeZoneName: "longOffset",
    }).formatToParts(date).map((p) => [p.type, p.value]),
  );
  const offset = parts.timeZoneName === "GMT" ? "+00:00" : parts.timeZoneName!.slice(3);
  const ms = String(date.getUTCMilliseconds()).padStart(3, "0");
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}.${ms}${offset}`;
}

/** Creates the `system_time` tool; `now` is the clock (tests may fix it). */
export function systemTimeTool(options: { now?: () => Date } = {}): Tool {
  const now = options.now ?? (() => new Date());
  return defineTool({
    name: "system_time",
    description:
      "Returns the current date and time: UTC, and the local time in an IANA time zone when `timezone` is given.",
    input: Input,
    capabilities: [],
    risk: "low",
    handler: ({ timezone }) => {
      const date = now();
      const zone = timezone ?? "UTC";
      return JSON.stringify({
        utc: date.toISOString(),
        timezone: zone,
        local: localIso(date, zone),
        weekday: new Intl.DateTimeFormat("en-US", { timeZone: zone, weekday: "long" })
          .format(date),
      });
    },
  });
}
