/**
 * How Talon writes money, counts, times and day series for people — one rule
 * each, used by the kernel's messages, the CLI, server-rendered pages and
 * islands alike, so a figure reads the same before and after hydration and in
 * the terminal. Browser-safe and zod-free: it imports nothing, and
 * lint/arrows.ts lets islands import it.
 *
 * Rules:
 * - dollars: `$12.50`; below a cent, two significant digits (`$0.0040`,
 *   `$0.000012`), never an exponent; below $0.0000005, `<$0.000001`; a
 *   missing or non-finite amount is `—`;
 * - counts: thousands separators, `1,234,567`;
 * - times: UTC, `2026-03-04 05:06:07` (options drop the date or the seconds,
 *   or add ` UTC`); a timestamp without a zone is read as UTC; text that is
 *   not a time comes back unchanged, and a missing one is `—`;
 * - day series: UTC day keys `YYYY-MM-DD`, oldest first, zero-filled.
 *
 * @module
 */

/** What a missing value is written as. */
export const MISSING = "—";

/** Milliseconds in a day. */
export const DAY_MS = 86_400_000;

/** The longest day series {@link utcDays} returns. */
export const MAX_DAYS = 400;

/** Dollars: cents, or two significant digits below a cent. */
export function formatUsd(usd: number | null | undefined): string {
  if (usd === null || usd === undefined || !Number.isFinite(usd)) return MISSING;
  const abs = Math.abs(usd);
  const sign = usd < 0 ? "-" : "";
  if (abs === 0 || abs >= 0.01) return `${sign}$${abs.toFixed(2)}`;
  if (abs < 0.0000005) return "<$0.000001";
  const digits = Math.min(6, 1 - Math.floor(Math.log10(abs)));
  return `${sign}$${abs.toFixed(digits)}`;
}

/** A count with thousands separators. */
export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

/** What {@link formatTs} writes. */
export interface TsFormat {
  /** Include the date (default true). */
  date?: boolean;
  /** Include seconds (default true). */
  seconds?: boolean;
  /** Append ` UTC` (default false). */
  utc?: boolean;
}

const ZONED = /(?:[zZ]|[+-]\d\d:?\d\d)$/;
const DATE_TIME = /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d/;

/** Parses an ISO-like timestamp, reading one without a zone as UTC. */
export function parseTs(ts: string): Date | undefined {
  const text = DATE_TIME.test(ts) && !ZONED.test(ts) ? `${ts.replace(" ", "T")}Z` : ts;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** A timestamp as `YYYY-MM-DD HH:MM:SS` in UTC (see {@link TsFormat}). */
export function formatTs(ts: string | null | undefined, format: TsFormat = {}): string {
  if (ts === null || ts === undefined) return MISSING;
  const date = parseTs(ts);
  if (!date) return ts;
  const iso = date.toISOString();
  const time = iso.slice(11, format.seconds === false ? 16 : 19);
  const text = format.date === false ? time : `${iso.slice(0, 10)} ${time}`;
  return format.utc ? `${text} UTC` : text;
}

function dayNumber(at: Date | string | number): number {
  const date = typeof at === "string" ? parseTs(at) : new Date(at);
  const ms = date?.getTime() ?? NaN;
  if (Number.isNaN(ms)) throw new RangeError(`not a time: ${String(at)}; pass an ISO timestamp`);
  return Math.floor(ms / DAY_MS);
}

/**
 * Every UTC day key from the day of `since` to the day of `until`, inclusive,
 * oldest first (none when `since` is later; at most {@link MAX_DAYS}).
 */
export function utcDays(since: Date | string | number, until: Date | string | number): string[] {
  const first = dayNumber(since);
  const count = Math.min(MAX_DAYS, Math.max(0, dayNumber(until) - first + 1));
  return Array.from(
    { length: count },
    (_, i) => new Date((first + i) * DAY_MS).toISOString().slice(0, 10),
  );
}

/** The first instant (ISO) of a `days`-long series of UTC days that ends with `now`'s day. */
export function daysStart(days: number, now: Date | number): string {
  return new Date((dayNumber(now) - (days - 1)) * DAY_MS).toISOString();
}

/** One row per day of `days`: the row whose `key(row)` is that day, else `empty(day)`. */
export function fillDays<T>(
  rows: readonly T[],
  days: readonly string[],
  options: { key: (row: T) => string; empty: (day: string) => T },
): T[] {
  const byDay = new Map(rows.map((row) => [options.key(row), row]));
  return days.map((day) => byDay.get(day) ?? options.empty(day));
}
