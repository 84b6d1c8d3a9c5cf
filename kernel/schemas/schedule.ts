/**
 * Schedules: how schedules and their runs are shown, and the queries that
 * list them (schedule_input.ts has what people, agents and manifests send).
 *
 * @module
 */
import { z } from "zod";
import { PageQuery } from "./common.ts";
import { CatchUp, CronExpression, Overlap, TimeZone } from "./schedule_input.ts";

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
  tz: z._default(TimeZone, "UTC"),
});
/** A preview request. */
export type SchedulePreviewQuery = z.infer<typeof SchedulePreviewQuery>;

/** `GET /api/schedules/preview` response: the next five fire times (UTC ISO). */
export const SchedulePreview = z.object({ times: z.array(z.string()) });
/** A preview. */
export type SchedulePreview = z.infer<typeof SchedulePreview>;
