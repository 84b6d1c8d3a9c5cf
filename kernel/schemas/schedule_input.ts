/**
 * What a person, an agent or a manifest's `[schedule]` sends to make or
 * change a schedule (schedule.ts has how schedules and runs are shown).
 * Durations are written `30s`, `5m`, `2h`, `1d` or combined (`1h30m`). Cron
 * syntax is checked by the kernel (croner stays out of the browser bundle);
 * everything else here. Written with `zod/mini` (see ./mini.ts): the agent
 * forms' islands ship it.
 *
 * @module
 */
import * as z from "zod/mini";
import "./mini.ts";

const DURATION_PATTERN = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** Milliseconds of a duration like `30s`, `5m`, `2h`, `1d` or `1h30m`; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION_PATTERN.exec(text.trim());
  if (!match || text.trim() === "") return undefined;
  const [d, h, m, s] = match.slice(1).map((v) => Number(v ?? 0)) as [
    number,
    number,
    number,
    number,
  ];
  const ms = (((d * 24 + h) * 60 + m) * 60 + s) * 1000;
  return Number.isSafeInteger(ms) ? ms : undefined;
}

/** Writes milliseconds as the shortest duration {@link parseDuration} reads back (whole seconds). */
export function formatDuration(ms: number): string {
  let s = Math.round(ms / 1000);
  const parts: string[] = [];
  for (const [unit, size] of [["d", 86_400], ["h", 3_600], ["m", 60]] as const) {
    if (s >= size) {
      parts.push(`${Math.floor(s / size)}${unit}`);
      s %= size;
    }
  }
  if (s > 0 || parts.length === 0) parts.push(`${s}s`);
  return parts.join("");
}

/** True when `tz` is an IANA time zone this runtime knows. */
export function isTimeZoneName(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** A positive duration such as `30s`, `5m`, `2h`. */
export const Duration = z.string().check(
  z.maxLength(40),
  z.refine((s) => (parseDuration(s) ?? 0) > 0, {
    message: "must be a positive duration such as 30s, 5m, 2h or 1h30m",
  }),
);

/** An IANA time zone such as `Europe/Berlin`; cron fields are read in it. */
export const TimeZone = z.string().check(
  z.minLength(1),
  z.maxLength(64),
  z.refine(isTimeZoneName, {
    message: "unknown time zone; use an IANA name such as UTC or Europe/Berlin",
  }),
);

/** A cron expression: 5 fields, or 6 with seconds first (checked in full by the kernel). */
export const CronExpression = z.string().check(z.trim(), z.minLength(1), z.maxLength(200));

/** One ISO-8601 time with a zone or offset, e.g. `2026-03-29T09:00:00Z`. */
export const AtTime = z.iso.datetime({
  offset: true,
  error: "must be an ISO time with a zone, e.g. 2026-03-29T09:00:00Z",
});

/** What happens to firings missed while Talon was not running. */
export const CatchUp = z.enum(["once", "skip"]);
/** What a firing does while the previous run is still going. */
export const Overlap = z.enum(["skip", "queue"]);

const KINDS = ["cron", "every", "at"] as const;

/** Exactly one of `cron`, `every`, `at` (or at most one when `required` is false). */
function oneKind(required: boolean) {
  return (value: Record<string, unknown>, ctx: z.core.$RefinementCtx): void => {
    const given = KINDS.filter((k) => value[k] !== undefined);
    if (given.length > 1) {
      for (const k of given.slice(1)) {
        ctx.addIssue({
          code: "custom",
          path: [k],
          message: `give only one of cron, every or at (${given.join(" and ")} were given)`,
        });
      }
    } else if (required && given.length === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["cron"],
        message: "give one of cron, every or at",
      });
    }
    if (value.tz !== undefined && value.cron === undefined && given.length > 0) {
      ctx.addIssue({ code: "custom", path: ["tz"], message: "tz applies only to cron schedules" });
    }
  };
}

const Message = z.string().check(
  z.trim(),
  z.minLength(1, "must not be empty"),
  z.maxLength(100_000),
);

const specFields = {
  cron: z.optional(CronExpression),
  every: z.optional(Duration),
  at: z.optional(AtTime),
  tz: z.optional(TimeZone),
  message: Message,
  catch_up: z.optional(CatchUp),
  overlap: z.optional(Overlap),
  max_runtime: z.optional(Duration),
};

/** A schedule's timing and message, as the API, CLI and agent tools take it. */
export const ScheduleSpec = z.strictObject(specFields).check(z.superRefine(oneKind(true)));
/** A schedule spec. */
export type ScheduleSpec = z.infer<typeof ScheduleSpec>;

/**
 * An agent manifest's `[schedule]`: `{cron | every | at, tz?, message,
 * catch_up?, overlap?, max_runtime?}`. The old `mode` field is refused,
 * naming what replaced it.
 */
export const ManifestSchedule = z.strictObject({
  ...specFields,
  mode: z.optional(z.never({
    error:
      '`mode` was replaced: give cron, every or at with a message (for example every = "1h" and message = "…"); a reactive agent has no [schedule]',
  })),
}).check(z.superRefine(oneKind(true)));
/** A manifest's schedule. */
export type ManifestSchedule = z.infer<typeof ManifestSchedule>;

/** Body of `POST /api/schedules`: the target agent (id or name) and the spec. */
export const CreateScheduleBody = z.strictObject({
  agent: z.string().check(z.minLength(1), z.maxLength(100)),
  ...specFields,
  enabled: z.optional(z.boolean()),
}).check(z.superRefine(oneKind(true)));
/** A create-schedule request. */
export type CreateScheduleBody = z.infer<typeof CreateScheduleBody>;

/**
 * Body of `PATCH /api/schedules/{id}`: fields to change. Giving `cron`,
 * `every` or `at` switches the schedule to that kind.
 */
export const ScheduleEdit = z.strictObject({
  cron: specFields.cron,
  every: specFields.every,
  at: specFields.at,
  tz: specFields.tz,
  message: z.optional(Message),
  catch_up: specFields.catch_up,
  overlap: specFields.overlap,
  max_runtime: specFields.max_runtime,
  enabled: z.optional(z.boolean()),
}).check(
  z.superRefine(oneKind(false)),
  z.refine((e) => Object.keys(e).length > 0, { message: "send at least one field to change" }),
);
/** A schedule edit. */
export type ScheduleEdit = z.infer<typeof ScheduleEdit>;
