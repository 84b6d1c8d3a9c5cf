/**
 * When a schedule fires: cron expressions (through croner, 5 fields or 6
 * with seconds, read in an IANA time zone), fixed intervals, and one-off
 * times. Also the minimum-interval rule: people's schedules may fire every
 * second at most, agents' every minute at most.
 *
 * @module
 */
import { Cron } from "croner";
import { TalonError } from "../errors.ts";
import { parseDuration, type ScheduleKind } from "../types.ts";

/** The shortest gap between firings of a schedule a person made. */
export const MIN_INTERVAL_PERSON_MS = 1_000;
/** The shortest gap between firings of a schedule an agent made through its tools. */
export const MIN_INTERVAL_AGENT_MS = 60_000;

/** A compiled schedule timing. */
export interface Timing {
  readonly kind: ScheduleKind;
  /**
   * The first fire time strictly after `after` (ms since the epoch), or null
   * when there is none (an `at` in the past). `anchor` is a past (or the
   * current) fire time of an `every` schedule, which keeps its phase.
   */
  next(after: number, anchor: number): number | null;
}

/** A field-naming `invalid_input`; `field` is the dotted path, e.g. `schedule.cron`. */
export function fieldError(
  field: string,
  message: string,
  options: { cause?: unknown } = {},
): TalonError {
  return new TalonError("invalid_input", `${field}: ${message}`, {
    cause: options.cause,
    fields: { [field]: message },
  });
}

/**
 * Compiles a timing, or throws `invalid_input` naming the field (prefixed by
 * `path`, e.g. `schedule.`) for a bad cron, an unknown time zone or a bad
 * duration.
 */
export function compileTiming(
  spec: { kind: ScheduleKind; expr: string; tz: string },
  path = "",
): Timing {
  if (spec.kind === "every") {
    const ms = parseDuration(spec.expr);
    if (ms === undefined || ms <= 0) {
      throw fieldError(`${path}every`, "must be a positive duration such as 30s, 5m or 2h");
    }
    return {
      kind: "every",
      next: (after, anchor) => anchor + (Math.floor((after - anchor) / ms) + 1) * ms,
    };
  }
  if (spec.kind === "at") {
    const at = Date.parse(spec.expr);
    if (Number.isNaN(at)) throw fieldError(`${path}at`, "must be an ISO time with a zone");
    return { kind: "at", next: (after) => (at > after ? at : null) };
  }
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: spec.tz });
  } catch (cause) {
    throw fieldError(`${path}tz`, `unknown time zone "${spec.tz}"; use an IANA name`, { cause });
  }
  let cron: Cron;
  try {
    cron = new Cron(spec.expr, { timezone: spec.tz, mode: "5-or-6-parts" });
    cron.nextRun(new Date(0));
  } catch (cause) {
    throw fieldError(
      `${path}cron`,
      `${
        (cause as Error).message.replace(/^Cron\w*: /, "")
      } (5 fields, or 6 with seconds first, e.g. "0 9 * * 1-5")`,
      { cause },
    );
  }
  return {
    kind: "cron",
    next: (after) => cron.nextRun(new Date(after))?.getTime() ?? null,
  };
}

/**
 * Refuses a timing that would fire more often than every `minMs` (checked
 * over its next firings from `now`), naming the field.
 */
export function assertMinInterval(
  timing: Timing,
  options: { expr: string; now: number; minMs: number; path?: string },
): void {
  const field = `${options.path ?? ""}${timing.kind}`;
  const words = options.minMs >= 60_000
    ? `${options.minMs / 60_000} minute(s)`
    : `${options.minMs / 1000} second(s)`;
  if (timing.kind === "at") return;
  let previous = timing.next(options.now, options.now);
  for (let i = 0; i < 24 && previous !== null; i++) {
    const next = timing.next(previous, previous);
    if (next === null) return;
    if (next - previous < options.minMs) {
      throw fieldError(
        field,
        `"${options.expr}" fires ${
          (next - previous) / 1000
        } s apart; schedules made here may fire at most every ${words}`,
      );
    }
    previous = next;
  }
}

/** The next `count` fire times of a cron expression in `tz`, from `now`. */
export function previewCron(
  cron: string,
  options: { tz: string; now: number; count?: number },
): string[] {
  const timing = compileTiming({ kind: "cron", expr: cron, tz: options.tz });
  const times: string[] = [];
  let after = options.now;
  for (let i = 0; i < (options.count ?? 5); i++) {
    const next = timing.next(after, after);
    if (next === null) break;
    times.push(new Date(next).toISOString());
    after = next;
  }
  return times;
}
