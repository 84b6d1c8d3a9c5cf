/**
 * Times on the Schedules and Approvals pages: an instant in a schedule's own
 * time zone next to UTC, and how long until a deadline. Zod-free and
 * browser-safe (Intl only), so islands that use it ship no schema code.
 *
 * @module
 */
import { formatTs, MISSING } from "../../kernel/format.ts";

/** `YYYY-MM-DD HH:MM` of `iso` in the IANA zone `tz` (UTC when `tz` is unknown). */
export function formatInZone(iso: string | null | undefined, tz: string): string {
  if (iso === null || iso === undefined) return MISSING;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).formatToParts(date);
  } catch {
    return formatTs(iso, { seconds: false, utc: true });
  }
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")} ${part("hour")}:${part("minute")}`;
}

/** `iso` in `tz` and in UTC, e.g. `2026-03-29 09:00 Europe/Berlin (07:00 UTC)`; once when `tz` is UTC. */
export function zonedAndUtc(iso: string | null | undefined, tz: string): string {
  if (iso === null || iso === undefined) return MISSING;
  const utc = formatTs(iso, { seconds: false, utc: true });
  if (tz === "UTC" || tz === "Etc/UTC") return utc;
  const local = formatInZone(iso, tz);
  const sameDay = local.slice(0, 10) === utc.slice(0, 10);
  return `${local} ${tz} (${sameDay ? utc.slice(11) : utc})`;
}

/** Time left until `iso` from `now` (ms), e.g. `4m 05s`, `1h 02m`, or `expired`. */
export function timeLeft(iso: string, now: number): string {
  const ms = new Date(iso).getTime() - now;
  if (Number.isNaN(ms)) return MISSING;
  if (ms <= 0) return "expired";
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, "0");
  if (h > 0) return `${h}h ${pad(m)}m`;
  return m > 0 ? `${m}m ${pad(s)}s` : `${s}s`;
}
