/**
 * The schedule form's values and how they become a `CreateScheduleBody` (new
 * schedule) or a `ScheduleEdit` (existing one): the same code runs in the
 * browser (the ScheduleForm island) and on the server (the plain form POST
 * on `/schedules` and `/schedules/{id}`), validated by the API's schemas.
 * The timing is one `kind` select and one `expr` input; issues and refusal
 * `fields` on `cron`, `every` or `at` land on `expr`. Browser-safe.
 *
 * @module
 */
import type { ScheduleKind, ScheduleView } from "../../kernel/types.ts";
import { CreateScheduleBody, ScheduleEdit } from "../../kernel/schemas/schedule_input.ts";
import { pathSegments } from "./api_fetch.ts";

/** What the form holds, exactly as typed. */
export interface ScheduleFormValues {
  /** Target agent, id or name (create only). */
  agent: string;
  kind: ScheduleKind;
  /** The cron expression, the duration or the ISO time. */
  expr: string;
  /** Time zone of a cron schedule. */
  tz: string;
  message: string;
  catch_up: string;
  overlap: string;
  /** Blank keeps the default (create) or the current limit (edit). */
  max_runtime: string;
}

/** The form's field names. */
export type ScheduleField = keyof ScheduleFormValues;

/** Every field of {@link ScheduleFormValues}, in form order. */
export const SCHEDULE_FIELDS: readonly ScheduleField[] = [
  "agent",
  "kind",
  "expr",
  "tz",
  "message",
  "catch_up",
  "overlap",
  "max_runtime",
];

/** Errors by field, and one for the whole form. */
export interface ScheduleFormErrors {
  errors: Partial<Record<ScheduleField, string>>;
  formError?: string;
}

/** The preview shown under a cron timing: the next fire times, or errors by field. */
export interface PreviewState {
  times: string[];
  errors: Partial<Record<ScheduleField, string>>;
}

/** A checked form: the body to send, or errors. */
export type ScheduleFormCheck =
  | { ok: true; body: Record<string, unknown> }
  | ({ ok: false } & ScheduleFormErrors);

const KINDS: readonly string[] = ["cron", "every", "at"];

/** A blank form (for `agent` when given). */
export function emptyScheduleForm(agent = ""): ScheduleFormValues {
  return {
    agent,
    kind: "cron",
    expr: "",
    tz: "UTC",
    message: "",
    catch_up: "once",
    overlap: "skip",
    max_runtime: "",
  };
}

/** The form's values for an existing schedule. */
export function scheduleValuesOf(schedule: ScheduleView): ScheduleFormValues {
  return {
    agent: schedule.agent_name,
    kind: schedule.kind,
    expr: schedule.expr,
    tz: schedule.tz,
    message: schedule.message,
    catch_up: schedule.catch_up,
    overlap: schedule.overlap,
    max_runtime: schedule.max_runtime,
  };
}

/** Reads the form's fields through `get` (e.g. `FormData.get`); missing ones are empty. */
export function scheduleValuesFrom(get: (name: string) => unknown): ScheduleFormValues {
  const text = (name: string) => {
    const value = get(name);
    return typeof value === "string" ? value : "";
  };
  const kind = text("kind");
  return {
    agent: text("agent"),
    kind: (KINDS.includes(kind) ? kind : "cron") as ScheduleKind,
    expr: text("expr"),
    tz: text("tz"),
    message: text("message"),
    catch_up: text("catch_up"),
    overlap: text("overlap"),
    max_runtime: text("max_runtime"),
  };
}

/** The form field a body path (`cron`, `tz`, …) belongs to, if the form shows it. */
function fieldOf(path: readonly PropertyKey[]): ScheduleField | undefined {
  const head = path[0];
  if (head === "cron" || head === "every" || head === "at") return "expr";
  return SCHEDULE_FIELDS.includes(head as ScheduleField) ? head as ScheduleField : undefined;
}

/** The request body the form stands for (`agent` only when creating). */
export function scheduleBodyOf(
  values: ScheduleFormValues,
  options: { create: boolean },
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (options.create) body.agent = values.agent.trim();
  body[values.kind] = values.expr.trim();
  if (values.kind === "cron" && values.tz.trim() !== "") body.tz = values.tz.trim();
  body.message = values.message;
  if (values.catch_up !== "") body.catch_up = values.catch_up;
  if (values.overlap !== "") body.overlap = values.overlap;
  if (values.max_runtime.trim() !== "") body.max_runtime = values.max_runtime.trim();
  return body;
}

/**
 * Checks the form with the API's schema: `CreateScheduleBody` when creating,
 * `ScheduleEdit` when editing.
 */
export function checkScheduleForm(
  values: ScheduleFormValues,
  options: { create: boolean },
): ScheduleFormCheck {
  const body = scheduleBodyOf(values, options);
  const parsed = options.create ? CreateScheduleBody.safeParse(body) : ScheduleEdit.safeParse(body);
  if (parsed.success) return { ok: true, body };
  const errors: ScheduleFormErrors["errors"] = {};
  let formError: string | undefined;
  for (const issue of parsed.error.issues) {
    const field = fieldOf(issue.path);
    if (field === undefined) formError ??= issue.message;
    else errors[field] ??= issue.message;
  }
  return { ok: false, errors, formError: formError ?? "Fix the marked fields, then save." };
}

/**
 * Where a server refusal goes: each entry of its `fields` on the field it
 * concerns, and its message above the form.
 */
export function scheduleRefusalErrors(
  refusal: { message: string; fields?: Record<string, string> },
): ScheduleFormErrors {
  const errors: ScheduleFormErrors["errors"] = {};
  for (const [path, message] of Object.entries(refusal.fields ?? {})) {
    const field = fieldOf(pathSegments(path));
    if (field !== undefined) errors[field] ??= message;
  }
  return { errors, formError: refusal.message };
}
