/**
 * A schedule's spec as stored: kind, expression, time zone, message and
 * policies, normalised from what the API, tools or a manifest gave, and
 * checked (cron syntax, time zone, minimum interval, an `at` in the future).
 *
 * @module
 */
import type { ScheduleRow } from "../store/mod.ts";
import { parseDuration, type ScheduleKind } from "../types.ts";
import {
  assertMinInterval,
  compileTiming,
  fieldError,
  MIN_INTERVAL_AGENT_MS,
  MIN_INTERVAL_PERSON_MS,
  type Timing,
} from "./timing.ts";

/** `max_runtime` when none is given: 10 minutes. */
export const DEFAULT_MAX_RUNTIME_MS = 600_000;

/** The stored form of a schedule's timing, message and policies. */
export interface StoredSpec {
  kind: ScheduleKind;
  expr: string;
  tz: string;
  message: string;
  catch_up: "once" | "skip";
  overlap: "skip" | "queue";
  max_runtime_ms: number;
}

/** The fields a spec is given with (API body, tool arguments, manifest `[schedule]`). */
export interface SpecInput {
  cron?: string;
  every?: string;
  at?: string;
  tz?: string;
  message: string;
  catch_up?: "once" | "skip";
  overlap?: "skip" | "queue";
  max_runtime?: string;
}

/** Normalises a parsed spec (exactly one kind given). */
export function storedSpec(input: SpecInput): StoredSpec {
  const kind: ScheduleKind = input.cron !== undefined
    ? "cron"
    : input.every !== undefined
    ? "every"
    : "at";
  const expr = input.cron ?? input.every ?? input.at!;
  return {
    kind,
    expr: kind === "at" ? new Date(Date.parse(expr)).toISOString() : expr,
    tz: kind === "cron" ? input.tz ?? "UTC" : "UTC",
    message: input.message,
    catch_up: input.catch_up ?? "once",
    overlap: input.overlap ?? "skip",
    max_runtime_ms: input.max_runtime === undefined
      ? DEFAULT_MAX_RUNTIME_MS
      : parseDuration(input.max_runtime)!,
  };
}

/**
 * Compiles and checks a spec at `now`: valid cron and time zone, no more
 * often than the minimum interval (60 s for agents' schedules, 1 s for
 * people's), an `at` still ahead. Errors name the field under `path`.
 */
export function checkedTiming(
  spec: StoredSpec,
  options: { now: number; byAgent: boolean; path?: string },
): Timing {
  const path = options.path ?? "";
  const timing = compileTiming(spec, path);
  assertMinInterval(timing, {
    expr: spec.expr,
    now: options.now,
    minMs: options.byAgent ? MIN_INTERVAL_AGENT_MS : MIN_INTERVAL_PERSON_MS,
    path,
  });
  if (timing.kind === "at" && timing.next(options.now, options.now) === null) {
    throw fieldError(`${path}at`, `${spec.expr} has already passed; give a time in the future`);
  }
  return timing;
}

/** True when two specs fire at the same times. */
export function sameTiming(a: StoredSpec, b: StoredSpec): boolean {
  return a.kind === b.kind && a.expr === b.expr && a.tz === b.tz;
}

/** True when two specs are the same in every field. */
export function sameSpec(a: StoredSpec, b: StoredSpec): boolean {
  return sameTiming(a, b) && a.message === b.message && a.catch_up === b.catch_up &&
    a.overlap === b.overlap && a.max_runtime_ms === b.max_runtime_ms;
}

/** An ISO-8601 UTC string of `ms`. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The spec of a stored row. */
export function specOf(row: ScheduleRow): StoredSpec {
  return {
    kind: row.kind,
    expr: row.expr,
    tz: row.tz,
    message: row.message,
    catch_up: row.catch_up,
    overlap: row.overlap,
    max_runtime_ms: row.max_runtime_ms,
  };
}

/** A spec as audit details show it (without the message). */
export function specDetail(spec: StoredSpec): Record<string, unknown> {
  return {
    kind: spec.kind,
    expr: spec.expr,
    tz: spec.tz,
    catch_up: spec.catch_up,
    overlap: spec.overlap,
    max_runtime_ms: spec.max_runtime_ms,
  };
}

/** The first due time after `now` as stored, or null when there is none. */
export function nextDue(timing: Timing, now: number): string | null {
  const next = timing.next(now, now);
  return next === null ? null : iso(next);
}
