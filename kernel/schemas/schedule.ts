/**
 * Schedules: what a person, an agent or a manifest's `[schedule]` asks for,
 * and how schedules and their runs are shown. Durations are written `30s`,
 * `5m`, `2h`, `1d` or combined (`1h30m`). Cron syntax is checked by the
 * kernel (croner stays out of the browser bundle); everything else here.
 *
 * @module
 */
import { z } from "zod";
import { PageQuery } from "./common.ts";

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
export const Duration = z.string().max(40).refine(
  (s) => (parseDuration(s) ?? 0) > 0,
  { message: "must be a positive duration such as 30s, 5m, 2h or 1h30m" },
);

/** An IANA time zone such as `Europe/Berlin`; cron fields are read in it. */
export const TimeZone = z.string().min(1).max(64).refine(isTimeZoneName, {
  message: "unknown time zone; use an IANA name such as UTC or Europe/Berlin",
});

/** A cron expression: 5 fields, or 6 with seconds first (checked in full by the kernel). */
export const CronExpression = z.string().trim().min(1).max(200);

/** One ISO-8601 time with a zone or offset, e.g. `2026-03-29T09:00:00Z`. */
export const AtTime = z.iso.datetime({
  offset: true,
  error: "must be an ISO time with a zone, e.g. 2026-03-29T09:00:00Z",
});

/** What happens to firings missed while Talon was not running. */
export const CatchUp = z.enum(["once", "skip"]);
/** What a firing does while the previous run is still going. */
export const Overlap = z.enum(["skip", "queue"]);
/** How a schedule fires. */
export const ScheduleKind = z.enum(["cron", "every", "at"]);
/** A schedule kind. */
export type ScheduleKind = z.infer<typeof ScheduleKind>;

/**
 * Who a schedule row belongs to: `manifest` rows follow their agent's
 * `[schedule]`; `hand:<instance>` rows belong to a Hand instance.
 */
export const ScheduleOwner = z.union([
  z.enum(["user", "agent", "manifest"]),
  z.string().regex(
    /^hand:[a-z0-9][a-z0-9_-]{0,63}$/,
    "must be user, agent, manifest or hand:<instance>",
  ),
]);
/** A schedule owner. */
export type ScheduleOwner = z.infer<typeof ScheduleOwner>;

const KINDS = ["cron", "every", "at"] as const;

/** Exactly one of `cron`, `every`, `at` (or at most one when `required` is false). */
function oneKind(required: boolean) {
  return (value: Record<string, unknown>, ctx: z.RefinementCtx): void => {
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

const specFields = {
  cron: CronExpression.optional(),
  every: Duration.optional(),
  at: AtTime.optional(),
  tz: TimeZone.optional(),
  message: z.string().trim().min(1, "must not be empty").max(100_000),
  catch_up: CatchUp.optional(),
  overlap: Overlap.optional(),
  max_runtime: Duration.optional(),
};

/** A schedule's timing and message, as the API, CLI and agent tools take it. */
export const ScheduleSpec = z.strictObject(specFields).superRefine(oneKind(true));
/** A schedule spec. */
export type ScheduleSpec = z.infer<typeof ScheduleSpec>;

/**
 * An agent manifest's `[schedule]`: `{cron | every | at, tz?, message,
 * catch_up?, overlap?, max_runtime?}`. The old `mode` field is refused,
 * naming what replaced it.
 */
export const ManifestSchedule = z.strictObject({
  ...specFields,
  mode: z.never({
    error:
      '`mode` was replaced: give cron, every or at with a message (for example every = "1h" and message = "…"); a reactive agent has no [schedule]',
  }).optional(),
}).superRefine(oneKind(true));
/** A manifest's schedule. */
export type ManifestSchedule = z.infer<typeof ManifestSchedule>;

/** Body of `POST /api/schedules`: the target agent (id or name) and the spec. */
export const CreateScheduleBody = z.strictObject({
  agent: z.string().min(1).max(100),
  ...specFields,
  enabled: z.boolean().optional(),
}).superRefine(oneKind(true));
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
  message: specFields.message.optional(),
  catch_up: specFields.catch_up,
  overlap: specFields.overlap,
  max_runtime: specFields.max_runtime,
  enabled: z.boolean().optional(),
}).superRefine(oneKind(false)).refine((e) => Object.keys(e).length > 0, {
  message: "send at least one field to change",
});
/** A schedule edit. */
export type ScheduleEdit = z.infer<typeof ScheduleEdit>;

/** How a run ended (`queued` and `running` while it is not over). */
export const RunOutcome = z.enum([
  "queued",
  "running",
  "ok",
  "failed",
  "skipped",
  "missed",
  "timeout",
  "interrupted",
]);
/** A run outcome. */
export type RunOutcome = z.infer<typeof RunOutcome>;

/** What made a run: its due time came, a catch-up at boot, or run-now. */
export const RunTrigger = z.enum(["due", "catch_up", "manual"]);
/** A run trigger. */
export type RunTrigger = z.infer<typeof RunTrigger>;

/** One firing of a schedule. */
export const ScheduleRunView = z.object({
  id: z.number().int(),
  schedule_id: z.string(),
  agent_id: z.string(),
  trigger: RunTrigger,
  due_at: z.string(),
  started_at: z.string().nullable(),
  ended_at: z.string().nullable(),
  outcome: RunOutcome,
  turn_id: z.string().nullable(),
  cost_usd: z.number(),
  /** Machine code of a skip or failure: `overlap`, `agent_paused`, `over_budget`, … */
  reason: z.string().nullable(),
  /** What happened, in words. */
  message: z.string().nullable(),
});
/** A schedule run. */
export type ScheduleRunView = z.infer<typeof ScheduleRunView>;

/** A schedule as the API, CLI and dashboard see it. */
export const ScheduleView = z.object({
  id: z.string(),
  agent_id: z.string(),
  agent_name: z.string(),
  owner: ScheduleOwner,
  kind: ScheduleKind,
  /** The cron expression, the duration or the ISO time, as given. */
  expr: z.string(),
  tz: z.string(),
  message: z.string(),
  catch_up: CatchUp,
  overlap: Overlap,
  max_runtime: z.string(),
  enabled: z.boolean(),
  /** The next due time (UTC), null when disabled or an `at` that fired. */
  next_run_at: z.string().nullable(),
  last_run: ScheduleRunView.nullable(),
  created_by: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
});
/** A schedule. */
export type ScheduleView = z.infer<typeof ScheduleView>;

/** Query of `GET /api/schedules`. */
export const ScheduleListQuery = z.strictObject({
  /** An agent id or name. */
  agent: z.string().min(1).max(100).optional(),
  owner: ScheduleOwner.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
/** Schedule list options. */
export type ScheduleListQuery = z.infer<typeof ScheduleListQuery>;

/** `GET /api/schedules` response. */
export const ScheduleList = z.object({ schedules: z.array(ScheduleView) });
/** A list of schedules. */
export type ScheduleList = z.infer<typeof ScheduleList>;

/** Query of `GET /api/schedules/{id}/runs`: newest first, paged by run id. */
export const ScheduleRunsQuery = PageQuery.extend({
  before: z.coerce.number().int().positive().optional(),
});
/** Run list options. */
export type ScheduleRunsQuery = z.infer<typeof ScheduleRunsQuery>;

/** `GET /api/schedules/{id}/runs` response. */
export const ScheduleRunList = z.object({
  runs: z.array(ScheduleRunView),
  next_before: z.number().int().nullable(),
});
/** A page of runs. */
export type ScheduleRunList = z.infer<typeof ScheduleRunList>;

/** Query of `GET /api/schedules/preview`. */
export const SchedulePreviewQuery = z.strictObject({
  cron: CronExpression,
  tz: TimeZone.default("UTC"),
});
/** A preview request. */
export type SchedulePreviewQuery = z.infer<typeof SchedulePreviewQuery>;

/** `GET /api/schedules/preview` response: the next five fire times (UTC ISO). */
export const SchedulePreview = z.object({ times: z.array(z.string()) });
/** A preview. */
export type SchedulePreview = z.infer<typeof SchedulePreview>;
